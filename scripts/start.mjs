// `npm start [-- folder] [-- --code-server] [-- --port N]`: builds the extension and opens it.
// With desktop VS Code (`code` on PATH): an Extension Development Host on this repo. Otherwise
// code-server on 127.0.0.1 (installed once into .tools/) with the freshly packaged extension
// installed, its profile and sample workspace outside the repository (scripts/start-locations.mjs);
// each step is printed as it starts and ends. It runs until Ctrl+C and then stops its whole process group.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_VERSION, ensureTools, projectRoot, toolsDir } from './e2e-tools.mjs';
import { startLocations, stepPrinter, stillRunning } from './start-locations.mjs';
import { packageExtension } from './package.mjs';
import { freePort, installExtension, startCodeServer, writeUserSettings } from '../test/e2e/code-server.mjs';
import { createWorkspace } from '../test/e2e/fixture.mjs';

const DEFAULT_PORT = 8765;

function parseArgs(argv) {
  const options = { folder: undefined, codeServer: false, port: undefined };
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = argv[index].split('=', 2);
    if (flag === '--code-server') options.codeServer = true;
    else if (flag === '--port') options.port = Number(inline ?? argv[++index]);
    else if (!flag.startsWith('--') && options.folder === undefined) options.folder = path.resolve(flag);
    else throw new Error(`Unknown argument ${argv[index]}. Usage: npm start -- [folder] [--code-server] [--port N]`);
  }
  return options;
}

function hasDesktopCode() {
  return spawnSync('code', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' }).status === 0;
}

function startDesktop(folder) {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: projectRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('The build failed');
  const args = [`--extensionDevelopmentPath=${projectRoot}`, ...(folder ? [folder] : [])];
  spawn('code', args, { stdio: 'ignore', detached: true, shell: process.platform === 'win32' }).unref();
  console.log(`Opened VS Code: code ${args.join(' ')}
- Jan is in the activity bar (chat icon); its log: "Jan: Show Log" (Output panel, channel "Jan").
- Extension host errors: Help > Toggle Developer Tools, or "Developer: Show Logs…" > Extension Host.
- After a change: \`node esbuild.mjs\`, then "Developer: Reload Window" in the development host.`);
}

/** Measured on a 2-core laptop: ~14 min, ~8 of them code-server compiling its native modules. */
const FIRST_RUN_TIME = 'usually 5 to 15 minutes, most of it code-server compiling its native modules';

/**
 * The one-time install in a child process, its output passed through, so this process can say
 * it is still working (and for how long) whenever the install prints nothing for a while.
 */
async function installToolsWatched() {
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, 'scripts', 'e2e-tools.mjs'), '--progress', '--no-chromium'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const watch = stillRunning({ what: 'installing Node 24 and code-server', usually: FIRST_RUN_TIME });
  child.stdout.on('data', (chunk) => {
    watch.saw();
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk) => {
    watch.saw();
    process.stderr.write(chunk);
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  watch.stop();
  if (code !== 0)
    throw new Error(`Installing Node 24 and code-server failed (exit code ${code}); see the output above.`);
}

async function portIsFree(port) {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => false,
    () => true,
  );
}

async function startInCodeServer(options) {
  const step = stepPrinter(4);
  const firstRun = !existsSync(path.join(toolsDir, `code-server-${CODE_SERVER_VERSION}`, '.complete'));
  const tools = await step(
    firstRun
      ? `Installing Node 24 and code-server ${CODE_SERVER_VERSION} into ${toolsDir}: first run only, ${FIRST_RUN_TIME}; npm shows each download and the native build`
      : `Checking Node 24 and code-server ${CODE_SERVER_VERSION} in ${toolsDir}`,
    async () => {
      if (firstRun) await installToolsWatched();
      return ensureTools({ chromium: false });
    },
  );
  const { vsix } = await step('Building and packaging the extension (production bundle, then the .vsix)', () =>
    packageExtension(),
  );
  const { root: home, userDataDir, extensionsDir, logFile, workspace: sample } = startLocations();
  const workspace = options.folder ?? sample;
  await step(`Installing the extension into code-server (profile in ${home})`, () => {
    if (!options.folder && !existsSync(workspace)) createWorkspace(workspace);
    // Settings persist between starts (they are the user's); only the first start writes defaults.
    if (!existsSync(path.join(userDataDir, 'User', 'settings.json'))) writeUserSettings(userDataDir, {});
    mkdirSync(extensionsDir, { recursive: true });
    installExtension(tools, { vsix, userDataDir, extensionsDir });
  });
  const port = options.port ?? ((await portIsFree(DEFAULT_PORT)) ? DEFAULT_PORT : await freePort());
  const server = await step(`Starting code-server on 127.0.0.1:${port} with ${workspace}`, () =>
    startCodeServer(tools, { userDataDir, extensionsDir, workspace, logFile, port }),
  );
  console.log(`
Jan for VS Code is running in code-server ${CODE_SERVER_VERSION} (VS Code in the browser):

  ${server.workbenchUrl}

- Jan is in the activity bar (chat icon). Pick a model: "Jan: Import Model File…" or "Jan: Download Model…".
- Jan's log: "Jan: Show Log" in the UI, or ${path.join(userDataDir, 'logs', '<session>', 'exthost1', 'jan-vscode.jan-vscode', 'Jan.log')}
- Extension host log: ${path.join(userDataDir, 'logs', '<session>', 'exthost1', 'remoteexthost.log')}
- code-server log: ${logFile}
- Settings and data persist in ${home}. Ctrl+C stops code-server.
`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.once('exit', (code, signal) => {
    console.error(`code-server exited (${code ?? signal}); see ${logFile}`);
    void server.stop().then(() => process.exit(1));
  });
}

const options = parseArgs(process.argv.slice(2));
try {
  if (!options.codeServer && hasDesktopCode()) startDesktop(options.folder);
  else await startInCodeServer(options);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
