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
  return bundleInto(path.resolve(projectRoot, entry), path.join(outdir, `${name}.mjs`), projectRoot);
}

/**
 * Bundles `entry` (relative to the project) into `outfile` anywhere, with nothing left outside
 * the one file: a child that must not need the checkout (another user's process) runs from it.
 */
export function bundleStandalone(entry: string, outfile: string): Promise<string> {
  const projectRoot = path.resolve(__dirname, '../..');
  return bundleInto(path.resolve(projectRoot, entry), outfile, projectRoot, []);
}

async function bundleInto(
  entry: string,
  outfile: string,
  projectRoot: string,
  external: string[] = ['node-llama-cpp', 'vscode'],
): Promise<string> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    alias: aliasesAt(`${path.resolve(projectRoot)}${path.sep}`) as Record<string, string>,
    external,
    banner: {
      js: "import { createRequire as __janCreateRequire } from 'node:module'; const require = __janCreateRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  return outfile;
}
