/**
 * Activation benchmark: `npm run bench -- activation`. Builds the extension as the .vsix ships it
 * (production: minified, split into chunks by build-split.mjs) and as one file (how it shipped
 * before the split), and in fresh Node processes with `vscode` stubbed times, in the same run:
 * - `require`: dist/extension.js, the activation bundle VS Code requires before it calls activate();
 * - `activation_load`: then the chunks activate() loads before its promise resolves (the runtime and
 *   the editor's wiring: ./activate and what it imports statically);
 * - `unsplit`: the same activation code built as one file, all parsed and its top level run at
 *   activation, as before the split (the baseline);
 * - `floor`: an empty module (Node's own module loading).
 * Node's built-in modules a chunk requires first (crypto, child_process) are counted here; in VS
 * Code's extension host most are loaded already. Prints one JSON line: median, mean and max of
 * each (the mean is what users pay), and the bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
// @ts-expect-error -- plain ESM module shared with esbuild.mjs; it has no type declarations.
import * as split from '../build-split.mjs';

const { CHUNKS_FOLDER, EXTENSION_METAFILE, UNSPLIT_FOLDER, chunkOf, readMetafile, staticClosure } = split;

const ROUNDS = 21;
const root = process.cwd();
const work = mkdtempSync(path.join(tmpdir(), 'jan-activation-'));
const dist = path.join(root, 'dist');

/**
 * The names the `vscode` module exports (its top-level declarations): a chunk's top level reads
 * them through esbuild's interop, which copies the module's own keys.
 */
const vscodeNames = [
  ...readFileSync(path.join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8').matchAll(
    /^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm,
  ),
].map((match) => match[1]);

/** Requires each file given in turn with a stub `vscode`; prints the milliseconds of each group (`+` joins files). */
const probe = path.join(work, 'probe.cjs');
writeFileSync(
  probe,
  `const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
const stub = new Proxy(function () {}, { get: () => stub, apply: () => stub, construct: () => stub });
const names = ${JSON.stringify(vscodeNames)};
const api = new Proxy({}, {
  get: () => stub,
  ownKeys: () => names,
  getOwnPropertyDescriptor: () => ({ configurable: true, enumerable: true, value: stub }),
});
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: api };
const times = process.argv.slice(2).map((group) => {
  const start = process.hrtime.bigint();
  for (const file of group.split('+')) require(file);
  return Number(process.hrtime.bigint() - start) / 1e6;
});
process.stdout.write(JSON.stringify(times));
`,
);
const empty = path.join(work, 'empty.cjs');
writeFileSync(empty, 'module.exports = {};\n');

for (const flags of [['--unsplit'], []]) {
  const built = spawnSync(process.execPath, ['esbuild.mjs', '--production', ...flags], { cwd: root, stdio: 'ignore' });
  if (built.status !== 0) throw new Error(`the production build failed (${['--production', ...flags].join(' ')})`);
}
const unsplit = path.join(root, UNSPLIT_FOLDER, 'activate.js');
const metafile = readMetafile(path.join(root, EXTENSION_METAFILE));
const inDist = (file: string) => path.join(dist, file);
const entry = 'extension.js';
const activateChunk = chunkOf(metafile, 'src/vscode/activate.ts') as string | undefined;
if (!activateChunk) throw new Error('src/vscode/activate.ts is not a chunk of its own: is it still imported lazily?');
const entryFiles = (staticClosure(metafile, entry) as string[]).map(inDist);
const activationFiles = (staticClosure(metafile, activateChunk) as string[]).map(inDist);
const allChunks = readdirSync(path.join(dist, CHUNKS_FOLDER))
  .filter((file) => file.endsWith('.js'))
  .map((file) => path.join(dist, CHUNKS_FOLDER, file));

const samples = { require: [] as number[], activation_load: [] as number[], unsplit: [] as number[] };
const floor: number[] = [];
const bundle = path.join(dist, 'extension.js');
for (let round = 0; round < ROUNDS; round++) {
  const [required, activation] = JSON.parse(
    execFileSync(process.execPath, [probe, bundle, activationFiles.join('+')]).toString(),
  ) as number[];
  samples.require.push(required!);
  samples.activation_load.push(activation!);
  samples.unsplit.push((JSON.parse(execFileSync(process.execPath, [probe, unsplit]).toString()) as number[])[0]!);
  floor.push((JSON.parse(execFileSync(process.execPath, [probe, empty]).toString()) as number[])[0]!);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const ms = (value: number) => Number(value.toFixed(2));
const figures = (name: string, values: number[]) => ({
  [`${name}_ms_median`]: ms(median(values)),
  [`${name}_ms_mean`]: ms(mean(values)),
  [`${name}_ms_max`]: ms(Math.max(...values)),
});
const bytes = (files: string[]) => files.reduce((sum, file) => sum + statSync(file).size, 0);
console.log(
  JSON.stringify({
    bench: 'activation',
    bundle_bytes: bytes(entryFiles),
    activation_bytes: bytes(activationFiles),
    all_bytes: bytes([bundle, ...allChunks]),
    unsplit_bytes: bytes([unsplit]),
    chunks: allChunks.length,
    ...figures('require', samples.require),
    ...figures('activation_load', samples.activation_load),
    ...figures('unsplit', samples.unsplit),
    ...figures('floor', floor),
    require_over_floor: Number((median(samples.require) / median(floor)).toFixed(1)),
    activation_over_unsplit_mean: Number((mean(samples.activation_load) / mean(samples.unsplit)).toFixed(2)),
    rounds: ROUNDS,
  }),
);
