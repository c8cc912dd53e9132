// `npm run test:mutation`: runs Stryker (stryker.config.mjs), then prints the mutation score of
// each module from its JSON report: killed (and timed-out) mutants over all that could be tested.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode24 } from './e2e-tools.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODULES = [
  'src/core/store',
  'src/core/completion',
  'src/core/conversation',
  'src/protocol',
  'webview/markdown',
  'extensions/conversational',
];
const GOAL = 80;

const started = Date.now();
// StrykerJS 10 needs Node 22+; the Node 24 the end-to-end tests use (from the npm registry, cached
// in .tools/) runs it whatever Node runs npm.
const node = ensureNode24().node;
const run = spawnSync(
  node,
  [path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (run.status !== 0) process.exit(run.status ?? 1);

const report = JSON.parse(readFileSync(path.join(root, 'test-artifacts/mutation/report.json'), 'utf8'));
const rows = MODULES.map((module) => {
  const counts = { killed: 0, survived: 0, noCoverage: 0, other: 0 };
  for (const [file, result] of Object.entries(report.files)) {
    if (!file.startsWith(module)) continue;
    for (const mutant of result.mutants) {
      if (mutant.status === 'Killed' || mutant.status === 'Timeout') counts.killed += 1;
      else if (mutant.status === 'Survived') counts.survived += 1;
      else if (mutant.status === 'NoCoverage') counts.noCoverage += 1;
      else counts.other += 1;
    }
  }
  const tested = counts.killed + counts.survived + counts.noCoverage;
  const score = tested === 0 ? 0 : (counts.killed / tested) * 100;
  return { module, ...counts, score: Number(score.toFixed(1)) };
});
console.log('\nmutation score per module (killed / (killed + survived + no coverage)):');
for (const row of rows) {
  if (row.killed + row.survived + row.noCoverage === 0) {
    console.log(`  ${row.module.padEnd(28)}     -   not mutated in this run`);
    continue;
  }
  console.log(
    `${row.score >= GOAL ? ' ' : '!'} ${row.module.padEnd(28)} ${String(row.score).padStart(5)}%  killed ${row.killed}, survived ${row.survived}, no coverage ${row.noCoverage}`,
  );
}
console.log(
  `\ndone in ${((Date.now() - started) / 60_000).toFixed(1)} min; report: test-artifacts/mutation/index.html`,
);
