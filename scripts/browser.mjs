// Finds a Chromium-family browser for the webview and end-to-end tests, and installs Debian's
// `chromium` when none is found and apt is there. Playwright never downloads a browser of its own
// (`playwright-core`), so a fresh machine needs one of these. Usable as a module and as a CLI
// (`node scripts/browser.mjs` prints the path).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES_ON_PATH = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
  'microsoft-edge-stable',
];

/** Where Chrome, Chromium and Edge install themselves (the places playwright's `channel` looks). */
function wellKnownPaths(platform, env) {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(Boolean);
    return roots.flatMap((root) => [
      path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.join(root, 'Chromium', 'Application', 'chrome.exe'),
      path.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ];
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name, env) {
  const extensions = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The browser to drive: `JAN_TEST_BROWSER` when set (it must exist), else the first Chromium,
 * Chrome or Edge found on PATH or in its usual install folder; undefined when there is none.
 */
export function findBrowser(env = process.env, platform = process.platform) {
  if (env.JAN_TEST_BROWSER) {
    if (!isExecutable(env.JAN_TEST_BROWSER))
      throw new Error(`JAN_TEST_BROWSER=${env.JAN_TEST_BROWSER} is not an executable file.`);
    return env.JAN_TEST_BROWSER;
  }
  for (const name of NAMES_ON_PATH) {
    const found = onPath(name, env);
    if (found) return found;
  }
  return wellKnownPaths(platform, env).find(isExecutable);
}

export const INSTALL_HINT =
  'No Chromium, Chrome or Edge found for the webview tests: install one (Debian/Ubuntu: `apt-get install chromium`) or set JAN_TEST_BROWSER to its executable.';

function installDebianChromium(log) {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) return false;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  log("No browser found: installing Debian's chromium with apt-get (one time).");
  for (const args of [
    ['apt-get', 'update', '-qq'],
    ['apt-get', 'install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=300', 'chromium'],
  ]) {
    const [command, ...rest] = [...sudo, ...args];
    const result = spawnSync(command, rest, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      log(`${[command, ...rest].join(' ')} failed (${result.error?.message ?? `exit code ${result.status}`}).`);
      return false;
    }
  }
  return true;
}

/** A browser path, installing Debian's chromium if needed; throws one line naming what to install. */
export function ensureBrowser({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const found = findBrowser();
  if (found) return found;
  if (installDebianChromium(log)) {
    const installed = findBrowser();
    if (installed) return installed;
  }
  throw new Error(INSTALL_HINT);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureBrowser());
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
