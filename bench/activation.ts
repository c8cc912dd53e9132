/**
 * Activation benchmark: `npm run bench -- activation`. Builds the extension bundle as the .vsix
 * ships it (production: minified) and times `require()` of it in fresh Node processes, with
 * `vscode` stubbed, against the same processes requiring an empty module (the floor: Node's own
 * module loading) in the same run. Prints one JSON line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROUNDS = 21;
const root = process.cwd();
const work = mkdtempSync(path.join(tmpdir(), 'jan-activation-'));

/** Requires `file` with a stub `vscode` and prints the milliseconds require() took. */
const probe = path.join(work, 'probe.cjs');
writeFileSync(
  probe,
  `const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
const stub = new Proxy(function () {}, { get: () => stub, apply: () => stub, construct: () => stub });
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
const start = process.hrtime.bigint();
require(process.argv[2]);
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`,
);
const empty = path.join(work, 'empty.cjs');
writeFileSync(empty, 'module.exports = {};\n');

const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'ignore' });
if (built.status !== 0) throw new Error('the production build failed');
const bundle = path.join(root, 'dist', 'extension.js');

const time = (file: string) => Number(execFileSync(process.execPath, [probe, file]).toString());
const bundleMs: number[] = [];
const floorMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  bundleMs.push(time(bundle));
  floorMs.push(time(empty));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const ms = (value: number) => Number(value.toFixed(2));
console.log(
  JSON.stringify({
    bench: 'activation',
    bundle_bytes: statSync(bundle).size,
    require_ms_median: ms(median(bundleMs)),
    require_ms_mean: ms(mean(bundleMs)),
    require_ms_max: ms(Math.max(...bundleMs)),
    require_ms_min: ms(Math.min(...bundleMs)),
    floor_ms_median: ms(median(floorMs)),
    floor_ms_mean: ms(mean(floorMs)),
    floor_ms_max: ms(Math.max(...floorMs)),
    require_over_floor: Number((median(bundleMs) / median(floorMs)).toFixed(1)),
    require_over_floor_mean: Number((mean(bundleMs) / mean(floorMs)).toFixed(1)),
    rounds: ROUNDS,
  }),
);
