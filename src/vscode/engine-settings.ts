/**
 * Bounds for the `jan.engine.*` settings. A workspace's `.vscode/settings.json` can set them, so
 * a value that would ask for absurd resources (a million threads, a context of 1e12 tokens) is
 * clamped to what makes sense, with a warning that names the setting; an unknown transport or GPU
 * mode falls back to the default. `jan.engine.transport` is also restricted in untrusted
 * workspaces (package.json `capabilities.untrustedWorkspaces`): `thread` runs llama.cpp inside the
 * extension host.
 */
export const ENGINE_LIMITS = {
  contextSize: { min: 256, max: 131_072 },
} as const;

export interface EngineSettingsInput {
  threads: unknown;
  gpu: unknown;
  contextSize: unknown;
  completionContextSize: unknown;
  idleUnloadMinutes: unknown;
  transport: unknown;
}

export interface BoundedEngineSettings {
  values: { threads: number; gpu: string; contextSize: number; completionContextSize: number; idleUnloadMinutes: number; transport: string };
  warnings: string[];
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}

/** `logicalCores`: the most threads worth running (os.availableParallelism()). */
export function boundEngineSettings(input: EngineSettingsInput, logicalCores: number): BoundedEngineSettings {
  const warnings: string[] = [];
  const warn = (key: string, value: unknown, used: number | string, why: string) =>
    warnings.push(`jan.engine.${key} is ${shown(value)}; using ${used} (${why}).`);

  let threads = 0;
  if (typeof input.threads !== 'number' || Number.isNaN(input.threads) || input.threads < 0) warn('threads', input.threads, 0, "0 means this machine's cores");
  else if (input.threads > logicalCores) warn('threads', input.threads, (threads = logicalCores), "this machine's logical cores");
  else threads = Math.floor(input.threads);

  const { min, max } = ENGINE_LIMITS.contextSize;
  const context = (key: 'contextSize' | 'completionContextSize', fallback: number): number => {
    const value = input[key];
    if (typeof value !== 'number' || Number.isNaN(value)) return (warn(key, value, fallback, 'the default'), fallback);
    if (value < min) return (warn(key, value, min, 'the smallest context'), min);
    if (value > max) return (warn(key, value, max, 'the largest context Jan allocates'), max);
    return Math.floor(value);
  };

  const pick = (key: 'gpu' | 'transport', allowed: readonly string[]): string => {
    const value = input[key];
    if (typeof value === 'string' && allowed.includes(value)) return value;
    warn(key, value, allowed[0]!, `one of ${allowed.join(', ')}`);
    return allowed[0]!;
  };
  const idle = input.idleUnloadMinutes;
  return {
    values: {
      threads,
      gpu: pick('gpu', ['auto', 'off']),
      contextSize: context('contextSize', 4096),
      completionContextSize: context('completionContextSize', 2048),
      idleUnloadMinutes: typeof idle === 'number' && Number.isFinite(idle) && idle >= 0 ? idle : 15,
      transport: pick('transport', ['process', 'thread']),
    },
    warnings,
  };
}
