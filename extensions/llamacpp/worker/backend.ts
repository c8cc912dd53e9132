import { getLlama, getLlamaGpuTypes, getModuleVersion } from 'node-llama-cpp';
import type { Llama, LlamaGpuType, LlamaOptions } from 'node-llama-cpp';
import type { ArgsOf } from '../rpc/methods';
import { fetchedPackages, useFetchedPackages } from './backend-packages';

export type GpuSetting = ArgsOf<'init'>['gpu'];
type Gpu = Exclude<LlamaGpuType, false>;

const NAMES: Record<Gpu | 'cpu', string> = { cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal', cpu: 'CPU' };

/** Why a backend node-llama-cpp did not list as usable here cannot load. */
const MISSING: Record<Gpu, string> = {
  cuda: 'no NVIDIA driver with the CUDA runtime was found',
  vulkan: 'no Vulkan driver was found (install the GPU vendor’s driver)',
  metal: 'Metal needs a Mac with Apple silicon',
};

/** The CUDA packages node-llama-cpp imports on this platform: the backend and its fallback kernels ("ext"). */
export function cudaPackages(platform: string = process.platform, arch: string = process.arch): string[] {
  if (arch !== 'x64') return [];
  const prefix = platform === 'linux' ? 'linux-x64' : platform === 'win32' ? 'win-x64' : undefined;
  return prefix ? [`@node-llama-cpp/${prefix}-cuda`, `@node-llama-cpp/${prefix}-cuda-ext`] : [];
}

export interface Backend {
  llama: Llama;
  /** Why the backend asked for (or the best one found) is not the one in use; said once by the host. */
  fallbackReason?: string;
  /** node-llama-cpp's version: an on-demand backend package must be the same version. */
  version: string;
  cuda: { packages: string[]; detected: boolean; installed: boolean };
}

type Base = Omit<LlamaOptions, 'gpu'>;

/**
 * Starts llama.cpp on the backend the setting asks for: `cpu`; `cuda`, `vulkan` or `metal`, else the
 * CPU with the reason; `auto`, the best node-llama-cpp finds usable here (CUDA only when its
 * package was fetched or installed), falling back down that list to the CPU. Every failure's
 * reason is node-llama-cpp's own words, which it prints while it tries.
 */
export async function startBackend(
  setting: GpuSetting,
  backendsFolder: string | undefined,
  base: Base,
): Promise<Backend> {
  const fetched = fetchedPackages(backendsFolder);
  useFetchedPackages(fetched);
  const [supported, valid, version] = await Promise.all([
    getLlamaGpuTypes('supported'),
    getLlamaGpuTypes('allValid'),
    getModuleVersion(),
  ]);
  const packages = cudaPackages();
  const cudaInstalled = packages.length > 0 && (packages[0]! in fetched || resolvable(packages[0]!));
  const cuda = { packages, detected: supported.includes('cuda'), installed: cudaInstalled };
  const wanted: Gpu[] =
    setting === 'cpu'
      ? []
      : setting === 'auto'
        ? supported.filter((gpu): gpu is Gpu => gpu !== false && (gpu !== 'cuda' || cudaInstalled))
        : [setting];
  const problems: string[] = [];
  for (const gpu of wanted) {
    const problem = !valid.includes(gpu)
      ? `${NAMES[gpu]} is not available on this platform`
      : gpu === 'cuda' && !cudaInstalled
        ? 'the CUDA backend has not been downloaded (Jan: Download CUDA Backend)'
        : undefined;
    if (problem) {
      problems.push(problem);
      continue;
    }
    const attempt = await attemptGpu(gpu, base, supported.includes(gpu));
    if ('llama' in attempt) return { llama: attempt.llama, fallbackReason: reasonOf(problems), version, cuda };
    problems.push(attempt.problem);
  }
  const llama = await getLlama({ ...base, gpu: false });
  return { llama, fallbackReason: reasonOf(problems), version, cuda };
}

async function attemptGpu(gpu: Gpu, base: Base, listed: boolean): Promise<{ llama: Llama } | { problem: string }> {
  const said: string[] = [];
  const restore = captureConsole(said);
  try {
    const llama = await getLlama({ ...base, gpu });
    if (llama.gpu === gpu) return { llama };
    await llama.dispose();
    return { problem: `${NAMES[gpu]} loaded but found no GPU device` };
  } catch (error) {
    const words = said.length > 0 ? said.join(' ') : (error as Error).message;
    return { problem: `${NAMES[gpu]} failed to load: ${words}${listed ? '' : ` (${MISSING[gpu]})`}` };
  } finally {
    restore();
  }
}

function reasonOf(problems: string[]): string | undefined {
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Collects what node-llama-cpp prints while it tries a backend (its warnings name the cause). */
function captureConsole(into: string[]): () => void {
  const { warn, error } = console;
  const keep = (...parts: unknown[]) =>
    void into.push(
      parts
        .map((part) => (part instanceof Error ? part.message : String(part)))
        .join(' ')
        .replace(/^\[node-llama-cpp\]\s*/, '')
        .trim(),
    );
  console.warn = keep;
  console.error = keep;
  return () => {
    console.warn = warn;
    console.error = error;
  };
}

function resolvable(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}
