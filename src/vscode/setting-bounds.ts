/**
 * Bounds for the numeric and choice settings (`jan.engine.*`, `jan.inlineCompletion.*`). A
 * workspace's `.vscode/settings.json` can set them, so
 * a value that would ask for absurd resources (a million threads, a context of 1e12 tokens) is
 * clamped to what makes sense, with a warning that names the setting; an unknown transport or GPU
 * mode falls back to the default. `jan.engine.transport` is also restricted in untrusted
 * workspaces (package.json `capabilities.untrustedWorkspaces`): `thread` runs llama.cpp inside the
 * extension host.
 */
export const ENGINE_LIMITS = {
  contextSize: { min: 256, max: 131_072, fallback: 4096 },
  completionContextSize: { min: 256, max: 131_072, fallback: 2048 },
  idleUnloadMinutes: { min: 0, max: 7 * 24 * 60, fallback: 15 },
} as const;

export const COMPLETION_LIMITS = {
  debounceMs: { min: 0, max: 5000, fallback: 200 },
  maxTokens: { min: 1, max: 1024, fallback: 96 },
  minChars: { min: 0, max: 100, fallback: 3 },
  timeLimitMs: { min: 50, max: 60_000, fallback: 1500 },
  maxLines: { min: 1, max: 100, fallback: 12 },
} as const;

interface NumberBounds {
  min: number;
  max: number;
  fallback: number;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}

/** A whole number within `bounds`; anything else is replaced, with a warning naming the setting. */
function boundNumber(
  key: string,
  value: unknown,
  bounds: NumberBounds,
  warnings: string[],
  maxReason = 'the largest allowed',
): number {
  const use = (used: number, why: string) => {
    warnings.push(`${key} is ${shown(value)}; using ${used} (${why}).`);
    return used;
  };
  if (typeof value !== 'number' || Number.isNaN(value)) return use(bounds.fallback, 'the default');
  if (value < bounds.min) return use(bounds.min, 'the smallest allowed');
  if (value > bounds.max) return use(bounds.max, maxReason);
  return Math.floor(value);
}

function boundChoice(key: string, value: unknown, allowed: readonly string[], warnings: string[]): string {
  if (typeof value === 'string' && allowed.includes(value)) return value;
  warnings.push(`${key} is ${shown(value)}; using ${allowed[0]!} (one of ${allowed.join(', ')}).`);
  return allowed[0]!;
}

export interface EngineSettingsInput {
  threads: unknown;
  gpu: unknown;
  contextSize: unknown;
  completionContextSize: unknown;
  idleUnloadMinutes: unknown;
  transport: unknown;
}

export interface Bounded<T> {
  values: T;
  warnings: string[];
}

/** `logicalCores`: the most threads worth running (os.availableParallelism()). */
export function boundEngineSettings(
  input: EngineSettingsInput,
  logicalCores: number,
): Bounded<{
  threads: number;
  gpu: string;
  contextSize: number;
  completionContextSize: number;
  idleUnloadMinutes: number;
  transport: string;
}> {
  const warnings: string[] = [];
  return {
    values: {
      threads: boundNumber(
        'jan.engine.threads',
        input.threads,
        { min: 0, max: logicalCores, fallback: 0 },
        warnings,
        "this machine's logical cores",
      ),
      gpu: boundChoice('jan.engine.gpu', input.gpu, ['auto', 'off'], warnings),
      contextSize: boundNumber(
        'jan.engine.contextSize',
        input.contextSize,
        ENGINE_LIMITS.contextSize,
        warnings,
        'the largest context Jan allocates',
      ),
      completionContextSize: boundNumber(
        'jan.engine.completionContextSize',
        input.completionContextSize,
        ENGINE_LIMITS.completionContextSize,
        warnings,
        'the largest context Jan allocates',
      ),
      idleUnloadMinutes: boundNumber(
        'jan.engine.idleUnloadMinutes',
        input.idleUnloadMinutes,
        ENGINE_LIMITS.idleUnloadMinutes,
        warnings,
      ),
      transport: boundChoice('jan.engine.transport', input.transport, ['process', 'thread'], warnings),
    },
    warnings,
  };
}

/** The `jan.inlineCompletion.*` numbers: a completion request per keystroke must stay small. */
export function boundCompletionSettings(
  input: Record<keyof typeof COMPLETION_LIMITS, unknown>,
): Bounded<Record<keyof typeof COMPLETION_LIMITS, number>> {
  const warnings: string[] = [];
  const bound = (key: keyof typeof COMPLETION_LIMITS) =>
    boundNumber(`jan.inlineCompletion.${key}`, input[key], COMPLETION_LIMITS[key], warnings);
  return {
    values: {
      debounceMs: bound('debounceMs'),
      maxTokens: bound('maxTokens'),
      minChars: bound('minChars'),
      timeLimitMs: bound('timeLimitMs'),
      maxLines: bound('maxLines'),
    },
    warnings,
  };
}
