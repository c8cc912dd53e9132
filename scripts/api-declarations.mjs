// Writes the public API's declarations (sdk/jan-api.d.ts, one file) from the SDK entry; with
// `--check` fails when the checked-in file differs from what the sources declare now; with `--lock`
// also pins the file's hash to JAN_API_VERSION in sdk/jan-api.lock.json, refusing when the API
// changed while the version did not (bump it in src/core/api/version.ts first).
// test/unit/api/api-declarations.test.ts checks both.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const DECLARATIONS = path.join(root, 'sdk', 'jan-api.d.ts');
const LOCK = path.join(root, 'sdk', 'jan-api.lock.json');
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

/** Pins `declarations` to the version the sources say, unless that version is pinned to other declarations. */
function lock(declarations) {
  const version = /JAN_API_VERSION = "([^"]+)"/.exec(declarations)?.[1];
  if (!version) throw new Error('sdk/jan-api.d.ts declares no JAN_API_VERSION');
  const sha256 = createHash('sha256').update(declarations).digest('hex');
  const pinned = JSON.parse(readFileSync(LOCK, 'utf8'));
  if (pinned.version === version && pinned.sha256 !== sha256) {
    process.stderr.write(
      `The API changed but JAN_API_VERSION is still ${version}: bump it in src/core/api/version.ts.\n`,
    );
    process.exit(1);
  }
  writeFileSync(LOCK, `${JSON.stringify({ version, sha256 }, null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const made = generate();
  if (process.argv.includes('--check')) {
    if (readFileSync(DECLARATIONS, 'utf8') !== made) {
      process.stderr.write('sdk/jan-api.d.ts is out of date: npm run api-declarations\n');
      process.exit(1);
    }
  } else {
    writeFileSync(DECLARATIONS, made);
    if (process.argv.includes('--lock')) lock(made);
  }
}
