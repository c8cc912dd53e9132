// Bundles a TypeScript entry (a bench, an eval) into one runnable ESM file with the project's
// aliases; the native and tool packages stay external and load from node_modules at run time.
import * as esbuild from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { aliases } from '../build-aliases.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

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
    // The aliases are paths from the project root, read where the file is (a benchmark that bundles the worker).
    plugins: [
      {
        name: 'project-aliases',
        setup(build) {
          build.onResolve({ filter: /build-aliases\.mjs$/ }, () => ({
            path: pathToFileURL(path.join(root, 'build-aliases.mjs')).href,
            external: true,
          }));
        },
      },
    ],
    banner: {
      js: "import { createRequire as __janCreateRequire } from 'node:module'; const require = __janCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
