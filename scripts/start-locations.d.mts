export interface StartLocations {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  logFile: string;
}
export function startLocations(options?: {
  env?: NodeJS.ProcessEnv;
  home?: string;
  platform?: NodeJS.Platform;
}): StartLocations;
export function stepPrinter(
  total: number,
  print?: (line: string) => void,
  now?: () => number,
): <T>(text: string, run: () => T | Promise<T>) => Promise<T>;
export function formatElapsed(ms: number): string;
export function stillRunning(
  step: { what: string; usually: string; quietMs?: number },
  clock?: {
    print?: (line: string) => void;
    now?: () => number;
    every?: (run: () => void, ms: number) => unknown;
    cancel?: (timer: unknown) => void;
  },
): { saw(): void; stop(): void };
