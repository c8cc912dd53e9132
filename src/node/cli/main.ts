/**
 * Entry of the `jan-vscode` command (bundled to dist/cli.js by esbuild.mjs). Success exits 0;
 * any failure prints one line naming the cause on stderr and exits 1.
 */
import { errorMessage, redactText } from '@jan/core';
import { buildProgram } from './program';

declare const JAN_VERSION: string | undefined;

buildProgram(typeof JAN_VERSION === 'string' ? JAN_VERSION : '0.0.0')
  .parseAsync(process.argv)
  .then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      process.stderr.write(`jan-vscode: ${redactText(errorMessage(error).split('\n')[0]!)}\n`);
      process.exit(1);
    },
  );
