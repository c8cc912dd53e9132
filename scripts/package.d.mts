export function bundlingWarningNote(files: string[]): string | undefined;
