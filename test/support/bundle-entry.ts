import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import * as path from 'node:path';
// @ts-expect-error -- plain ESM module shared with esbuild.mjs; it has no type declarations.
import { aliasesAt } from '../../build-aliases.mjs';

/**
 * Bundles a TypeScript entry (a child-process script or the engine worker) into a runnable
 * .mjs under `out/`, with the project's import aliases. The output stays inside the project so
 * that Node resolves the external node-llama-cpp from the project's node_modules at run time.
 * Benchmarks, bundled as ESM themselves (no `__dirname`), pass the project root.
 */
export async function bundleEntry(
  entry: string,
  name = path.basename(entry, '.ts'),
  projectRoot = path.resolve(__dirname, '../..'),
): Promise<string> {
  const bundles = path.join(projectRoot, 'out', 'test-bundles');
  mkdirSync(bundles, { recursive: true });
  const outdir = mkdtempSync(path.join(bundles, `${name}-`));
  const outfile = path.join(outdir, `${name}.mjs`);
  await esbuild.build({
    entryPoints: [path.resolve(projectRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    alias: aliasesAt(`${path.resolve(projectRoot)}${path.sep}`) as Record<string, string>,
    external: ['node-llama-cpp', 'vscode'],
    banner: {
      js: "import { createRequire as __janCreateRequire } from 'node:module'; const require = __janCreateRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  return outfile;
}
