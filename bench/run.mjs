// `npm run bench -- <name>`: bundles bench/<name>.ts with the project's aliases and runs it.
// Each benchmark prints one JSON line of figures (ratios against a baseline taken in the same run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { bundleScript } from '../scripts/bundle-script.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const available = readdirSync(path.join(root, 'bench'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3));
const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
if (names.length === 0 || names.some((name) => !available.includes(name))) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [more names]`);
  process.exit(2);
}
const outdir = path.join(root, 'out', 'bench');
mkdirSync(outdir, { recursive: true });
for (const name of names) {
  const outfile = path.join(outdir, `${name}.mjs`);
  await bundleScript(path.join(root, 'bench', `${name}.ts`), outfile);
  if (!existsSync(outfile)) process.exit(1);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', outfile, ...process.argv.slice(2).filter((arg) => arg.startsWith('-'))],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
