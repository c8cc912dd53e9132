// Runs code-server (VS Code 1.139 server + web workbench) for one test run: a fresh user-data and
// extensions folder, its own process group, and a stop() that kills the whole group, because
// killing only the leader leaves extension hosts behind.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Settings of `scope: machine` (like jan.modelsFolder) belong to the machine the extension host
 * runs on: in code-server they are read from <user-data>/Machine/settings.json, not the user's.
 */
export function writeMachineSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'Machine');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** User settings for a run: quiet workbench (no welcome page, tips, updates or telemetry) plus `settings`. */
export function writeUserSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'settings.json'),
    `${JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'security.workspace.trust.enabled': false,
        ...settings,
      },
      null,
      2,
    )}\n`,
  );
}

/** code-server keeps a config.yaml under XDG_CONFIG_HOME: keep it inside the run, not in $HOME. */
function isolatedEnv(userDataDir) {
  return { XDG_CONFIG_HOME: path.join(userDataDir, 'xdg-config'), XDG_DATA_HOME: path.join(userDataDir, 'xdg-data') };
}

export function installExtension(tools, { vsix, userDataDir, extensionsDir }) {
  const result = spawnSync(
    tools.node24.node,
    [
      tools.codeServer.entry,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, ...isolatedEnv(userDataDir) },
    },
  );
  if (result.status !== 0)
    throw new Error(
      `Installing ${vsix} failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout.trim();
}

async function waitForHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

/** Starts a detached process (a new process group) whose output goes to logFile; stop() kills the group. */
function startGroup(command, args, { logFile, env }) {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  child.once('error', (error) => log.write(`could not start ${command}: ${error.message}\n`));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;
    }
  };
  const stop = async () => {
    signalGroup('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    // Extension hosts and watchers outlive a leader that exited on SIGTERM: finish the group.
    signalGroup('SIGKILL');
    log.end();
  };
  return { child, stop, pgid: child.pid };
}

/**
 * The workbench as a user gets it: `code-server --auth none` on 127.0.0.1 opening `workspace`.
 * Resolves once /healthz answers.
 */
export async function startCodeServer(tools, { userDataDir, extensionsDir, workspace, logFile, port: wantedPort }) {
  const port = wantedPort ?? (await freePort());
  const server = startGroup(
    tools.node24.node,
    [
      tools.codeServer.entry,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { logFile, env: isolatedEnv(userDataDir) },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(`${url}/healthz`, server.child, 60_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...server, url, port, workbenchUrl: `${url}/?folder=${encodeURIComponent(workspace)}` };
}

/**
 * The bare VS Code server inside the code-server package with the smoke-test driver on: the only
 * way here to run an `extensionTestsPath` suite (code-server refuses it without a client).
 */
export async function startTestServer(tools, { dataDir, extensionsDir, logFile }) {
  const port = await freePort();
  const server = startGroup(
    tools.node24.node,
    [
      tools.codeServer.serverMain,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--user-data-dir',
      dataDir,
      '--server-data-dir',
      dataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
    ],
    { logFile },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(`${url}/version`, server.child, 60_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...server, url, port };
}
