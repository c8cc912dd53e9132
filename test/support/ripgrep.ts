// The ripgrep binary the search tests run the ripgrep backend with: JAN_TEST_RIPGREP, else `rg`
// on PATH, else the one inside the end-to-end tests' code-server (.tools/). Like the browser
// (scripts/browser.mjs), Debian's `ripgrep` package is installed with apt when none is found;
// otherwise the test stops with one line naming what to install. Never fetched from the web.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { executable, ripgrepOnPath } from '../../extensions/workspace-tools';

const root = fileURLToPath(new URL('../..', import.meta.url));

function inCodeServer(): string | undefined {
  const tools = path.join(root, '.tools');
  if (!existsSync(tools)) return undefined;
  for (const entry of readdirSync(tools)) {
    const found = executable(path.join(tools, entry, 'lib/vscode/node_modules/@vscode/ripgrep/bin/rg'));
    if (found) return found;
  }
  return undefined;
}

function find(): string | undefined {
  if (process.env.JAN_TEST_RIPGREP) return executable(process.env.JAN_TEST_RIPGREP);
  return ripgrepOnPath() ?? inCodeServer();
}

function installDebianRipgrep(): boolean {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) return false;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  process.stderr.write("No ripgrep found: installing Debian's ripgrep with apt-get (one time).\n");
  const [command, ...args] = [...sudo, 'apt-get', 'install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=300', 'ripgrep'];
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/** A ripgrep path, installing Debian's when none is found; throws one line naming what to install. */
export function ensureRipgrep(): string {
  const found = find() ?? (installDebianRipgrep() ? find() : undefined);
  if (found) return found;
  throw new Error(
    'No ripgrep found for the search tests: install it (Debian/Ubuntu: `apt-get install ripgrep`) or set JAN_TEST_RIPGREP to its executable.',
  );
}
