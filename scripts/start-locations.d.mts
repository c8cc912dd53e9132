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
