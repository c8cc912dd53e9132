// `npm run eval -- <name> [options]`: bundles eval/<name>.ts with the project's aliases and runs it
// with the options (e.g. `npm run eval -- agent --model ~/models/qwen2.5-coder-1.5b.gguf`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleScript } from '../scripts/bundle-script.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const available = readdirSync(path.join(root, 'eval'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3));
const [name, ...options] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run eval -- <${available.join('|')}> [options]`);
  process.exit(2);
}
const outdir = path.join(root, 'out', 'eval');
mkdirSync(outdir, { recursive: true });
const outfile = path.join(outdir, `${name}.mjs`);
await bundleScript(path.join(root, 'eval', `${name}.ts`), outfile);
if (!existsSync(outfile)) process.exit(1);
const result = spawnSync(process.execPath, [outfile, ...options], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
