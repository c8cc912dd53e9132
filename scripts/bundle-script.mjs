// Bundles a TypeScript entry (a bench, an eval) into one runnable ESM file with the project's
// aliases; the native and tool packages stay external and load from node_modules at run time.
import * as esbuild from 'esbuild';
import { aliases } from '../build-aliases.mjs';

export async function bundleScript(entry, outfile) {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    alias: aliases,
    external: ['node-llama-cpp', 'vscode', 'playwright-core', 'esbuild'],
    banner: {
      js: "import { createRequire as __janCreateRequire } from 'node:module'; const require = __janCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
