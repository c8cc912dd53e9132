import type { GlobalOptions } from './cli-runtime';

/**
 * A command's result on stdout: JSON with `--json` (for scripts), else tab-separated lines a
 * person reads and `cut` splits. Notes for people go to stderr, so stdout stays the data.
 */
export function printResult(options: GlobalOptions, json: unknown, lines: () => string[]): void {
  if (options.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else for (const line of lines()) process.stdout.write(`${line}\n`);
}

/** A note for the person at the terminal (never in `--json` output). */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}
