/**
 * Entry of the `jan-vscode` command (bundled to dist/cli.js by esbuild.mjs). Success exits 0;
 * any failure (a bad flag included) prints one line naming the cause on stderr and exits 1.
 * A command stopped with Ctrl-C exits 130.
 */
import { CommanderError } from 'commander';
import { errorMessage, redactText } from '@jan/core';
import { buildProgram } from './program';

declare const JAN_VERSION: string | undefined;

buildProgram(typeof JAN_VERSION === 'string' ? JAN_VERSION : '0.0.0')
  .parseAsync(process.argv)
  .then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      if (error instanceof CommanderError && error.exitCode === 0) process.exit(0);
      // One line, through the one redaction (src/core/redact.ts): a URL's token never reaches the terminal.
      process.stderr.write(`jan-vscode: ${redactText(oneLine(error))}\n`);
      process.exit(1);
    },
  );

function oneLine(error: unknown): string {
  if (!(error instanceof CommanderError)) return errorMessage(error).split('\n')[0]!;
  const message = error.message.replace(/^error: /, '').split('\n')[0]!;
  // "option '--gpu <mode>' argument 'bogus' is invalid. Allowed choices are auto, off."
  const invalid = /^option '(--[\w-]+)[^']*' argument '([^']*)' is invalid\. (.*)$/.exec(message);
  const text = !invalid
    ? message
    : invalid[3]!.startsWith('--')
      ? invalid[3]!
      : `${invalid[1]} "${invalid[2]}": ${invalid[3]}`;
  return `${text} (--help for usage)`;
}
