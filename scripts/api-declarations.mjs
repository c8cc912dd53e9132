// Writes the public API's declarations (sdk/jan-api.d.ts, one file) from the SDK entry, or with
// `--check` fails when the checked-in file differs from what the sources declare now.
// test/unit/api/api-declarations.test.ts runs the check and ties the file to JAN_API_VERSION.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const DECLARATIONS = path.join(root, 'sdk', 'jan-api.d.ts');
const HEADER = '// The public API of Jan for VS Code (docs/EXTENDING.md). Generated: npm run api-declarations\n';

/** The declarations as the sources make them now. */
export function generate() {
  const folder = mkdtempSync(path.join(tmpdir(), 'jan-api-'));
  try {
    const out = path.join(folder, 'jan-api.d.ts');
    const bin = path.join(root, 'node_modules', 'dts-bundle-generator', 'dist', 'bin', 'dts-bundle-generator.js');
    const args = ['--project', 'tsconfig.api.json', '--no-banner', '--silent', '-o', out, 'src/node/sdk/index.ts'];
    execFileSync(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    return HEADER + readFileSync(out, 'utf8');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const made = generate();
  if (!process.argv.includes('--check')) writeFileSync(DECLARATIONS, made);
  else if (readFileSync(DECLARATIONS, 'utf8') !== made) {
    process.stderr.write('sdk/jan-api.d.ts is out of date: npm run api-declarations\n');
    process.exit(1);
  }
}
