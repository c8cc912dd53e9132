// Builds the bundles (docs/ARCHITECTURE.md): extension host (CommonJS, split into chunks loaded on
// first use: build-split.mjs), engine worker (ESM, loads node-llama-cpp), webview (browser), and the headless CLI.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { aliases as alias, runtimePackages } from './build-aliases.mjs';
import { EXTENSION_METAFILE, UNSPLIT_FOLDER, splitCommonJsBuild } from './build-split.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  alias,
  legalComments: 'none',
};

const nodeCommon = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', ...runtimePackages],
};

// `--unsplit`: the activation code and all it imports as one file in out/unsplit/activate.js, as
// it shipped before the split (the activation bench's same-run baseline).
const builds = [
  process.argv.includes('--unsplit')
    ? { ...nodeCommon, entryPoints: { activate: 'src/vscode/activate.ts' }, outdir: `${root}${UNSPLIT_FOLDER}` }
    : splitCommonJsBuild(
        { ...nodeCommon, entryPoints: { extension: 'src/vscode/extension.ts' } },
        { outdir: `${root}dist`, metafile: `${root}${EXTENSION_METAFILE}` },
      ),
];
if (existsSync(`${root}extensions/llamacpp/worker/main.ts`)) {
  // node-llama-cpp is ESM-only: the worker loads it with a real dynamic import() at runtime.
  builds.push({
    ...nodeCommon,
    entryPoints: { 'llamacpp-worker': 'extensions/llamacpp/worker/main.ts' },
    outdir: 'dist',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
  });
}
// The short-lived model download child (node-llama-cpp's downloader), forked by extensions/models.
builds.push({
  ...nodeCommon,
  entryPoints: { 'model-download': 'extensions/models/downloader/main.ts' },
  outdir: 'dist',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
});
// The `jan-vscode` command (package.json `bin`): the same runtime, next to the worker bundles it starts.
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
builds.push({
  ...nodeCommon,
  entryPoints: { cli: 'src/node/cli/main.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
  define: { JAN_VERSION: JSON.stringify(version) },
});
// The SDK's Node entry (package.json `exports` "./sdk", docs/EXTENDING.md): the runtime for programs,
// beside the worker bundles it starts.
builds.push({ ...nodeCommon, entryPoints: { sdk: 'src/node/sdk/index.ts' }, outdir: 'dist' });
if (existsSync(`${root}webview/main.ts`)) {
  builds.push({
    ...common,
    entryPoints: { webview: 'webview/main.ts', 'assistant-form': 'webview/assistant-form/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    loader: { '.ttf': 'file', '.css': 'text' },
  });
}

// The chat view loads the codicon font from dist/ (its localResourceRoots allow nothing else).
mkdirSync(`${root}dist/codicons`, { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) {
  copyFileSync(`${root}node_modules/@vscode/codicons/dist/${file}`, `${root}dist/codicons/${file}`);
}

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync(`${root}dist/cli.js`, 0o755);
}
