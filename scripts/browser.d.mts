export function findBrowser(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | undefined;
export function ensureBrowser(options?: { log?: (line: string) => void }): string;
export const INSTALL_HINT: string;
