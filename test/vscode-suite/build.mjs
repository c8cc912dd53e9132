// Bundles the integration suite into out/test/suite/ (index.js + one *.test.js per file), the
// layout extensionTestsPath expects. vscode and mocha stay external: the extension host provides
// vscode, and mocha resolves from the project's node_modules.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aliases } from '../../build-aliases.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const suiteOutDir = path.resolve(here, '../../out/test/suite');

export async function buildSuite() {
  const tests = readdirSync(here).filter((file) => file.endsWith('.test.ts'));
  rmSync(suiteOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: ['index.ts', ...tests].map((file) => path.join(here, file)),
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    alias: aliases,
    external: ['vscode', 'mocha', 'node-llama-cpp'],
    logLevel: 'warning',
  });
  return suiteOutDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`built ${await buildSuite()}`);
}
