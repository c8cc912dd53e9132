// Where `npm start` keeps code-server's profile and its sample workspace: in the user's cache,
// outside the repository. A workspace inside the checkout makes VS Code find the repository's
// .git and ask whether to open the parent repository.
import * as os from 'node:os';
import * as path from 'node:path';

export function startLocations({ env = process.env, home = os.homedir(), platform = process.platform } = {}) {
  const cache =
    platform === 'win32'
      ? env.LOCALAPPDATA || path.join(home, 'AppData', 'Local')
      : env.XDG_CACHE_HOME || path.join(home, '.cache');
  const root = path.join(cache, 'jan-vscode-start');
  return {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
    logFile: path.join(root, 'code-server.log'),
  };
}

/** Prints `[n/total] text` and, when the step ends, how long it took. */
export function stepPrinter(total, print = console.log, now = Date.now) {
  let number = 0;
  return async function step(text, run) {
    number += 1;
    const started = now();
    print(`[${number}/${total}] ${text}`);
    const result = await run();
    print(`[${number}/${total}] done in ${((now() - started) / 1000).toFixed(1)} s`);
    return result;
  };
}

/** "2 min 05 s" for a duration in milliseconds. */
export function formatElapsed(ms) {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`;
}

/**
 * For a long step whose own output may pause for minutes (code-server compiling its native
 * modules): whenever nothing was printed for `quietMs`, prints that the step is still running,
 * for how long, and how long it usually takes. `saw()` is called on each output.
 */
export function stillRunning(
  { what, usually, quietMs = 30_000 },
  { print = console.log, now = Date.now, every = setInterval, cancel = clearInterval } = {},
) {
  const started = now();
  let lastOutput = started;
  const timer = every(
    () => {
      if (now() - lastOutput < quietMs) return;
      print(`… still ${what}: ${formatElapsed(now() - started)} so far (${usually})`);
      lastOutput = now();
    },
    Math.min(quietMs, 5000),
  );
  return {
    saw: () => (lastOutput = now()),
    stop: () => cancel(timer),
  };
}
