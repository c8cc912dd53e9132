/**
 * Whether a model fits this machine, in the three words the pickers show, with the reason. Pure:
 * the worker calls it with node-llama-cpp's estimates of a model file (worker/model-plan.ts), the
 * download picker with the catalog's estimate; both with the machine's memory as node-llama-cpp
 * reports it.
 */
import { formatBytes } from './bytes';

export type Fit = 'fits' | 'slow' | 'wont';

export const FIT_LABELS: Record<Fit, string> = { fits: 'Fits', slow: 'May be slow', wont: "Won't fit" };

/**
 * Weights above this size run at a few tokens per second on a laptop's CPU: a token reads every
 * weight once, and a laptop's memory moves some tens of GB per second.
 */
export const CPU_SLOW_MODEL_BYTES = 4 * 1024 ** 3;

export interface FitInput {
  /** RAM the model and its contexts need (node-llama-cpp's estimate for the chosen context and layers). */
  needRamBytes: number;
  /** GPU memory they need. */
  needVramBytes: number;
  /** The weights' size (the GGUF's tensor data). */
  modelBytes: number;
  totalRamBytes: number;
  freeRamBytes: number;
  freeSwapBytes: number;
  freeVramBytes: number;
  /** The backend in use: "cpu", "cuda", "vulkan", "metal". */
  backend: string;
  /** Layers offloaded to the GPU of the model's total. */
  gpuLayers: number;
  totalLayers: number;
}

export interface FitVerdict {
  fit: Fit;
  reason: string;
}

export function classifyFit(input: FitInput): FitVerdict {
  const need = formatBytes(input.needRamBytes);
  const freeRam = input.freeRamBytes;
  if (input.needRamBytes > freeRam + input.freeSwapBytes) {
    const free = `${formatBytes(freeRam + input.freeSwapBytes)} is free${input.freeSwapBytes > 0 ? ' (RAM and swap)' : ''}`;
    const total =
      input.needRamBytes > input.totalRamBytes ? `, more than this machine's ${formatBytes(input.totalRamBytes)}` : '';
    return { fit: 'wont', reason: `needs about ${need} of memory${total}; ${free}` };
  }
  if (input.needVramBytes > input.freeVramBytes) {
    return {
      fit: 'wont',
      reason: `needs about ${formatBytes(input.needVramBytes)} of GPU memory; ${formatBytes(input.freeVramBytes)} is free`,
    };
  }
  if (input.needRamBytes > freeRam) {
    return {
      fit: 'slow',
      reason: `needs about ${need} of memory but ${formatBytes(freeRam)} of RAM is free: the rest would be swapped to disk`,
    };
  }
  const onGpu = input.backend !== 'cpu' && input.gpuLayers > 0;
  if (onGpu && input.gpuLayers < input.totalLayers) {
    return {
      fit: 'slow',
      reason: `${input.gpuLayers} of ${input.totalLayers} layers fit in GPU memory (${backendName(input.backend)}); the rest run on the CPU`,
    };
  }
  if (!onGpu && input.modelBytes > CPU_SLOW_MODEL_BYTES) {
    return {
      fit: 'slow',
      reason: `runs on the CPU: a ${formatBytes(input.modelBytes)} model writes a few tokens per second`,
    };
  }
  return {
    fit: 'fits',
    reason: onGpu
      ? `all ${input.totalLayers} layers on the GPU (${backendName(input.backend)}); needs about ${need} of RAM`
      : `needs about ${need} of ${formatBytes(input.totalRamBytes)} RAM`,
  };
}

export function backendName(backend: string): string {
  const names: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal' };
  return names[backend] ?? backend;
}
