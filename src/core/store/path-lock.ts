import * as path from 'node:path';
import type { Logger } from '../logger';
import { errorMessage, silentLogger } from '../logger';
import { NAMES_LOCK } from './folder-names';
import { openFolder } from './opened-folder';
import { StoreError, toStoreError } from './errors';

export interface PathLockOptions {
  /** A lock not refreshed for this long belongs to a dead process and is taken over (min 2000). */
  staleMs: number;
  /** Give up waiting for a live holder after this long. */
  timeoutMs: number;
  logger: Logger;
}

/** Module-wide, so two store objects over one folder in one process still queue on each other. */
const queues = new Map<string, Promise<void>>();

/** Runs `task` after every earlier task queued on `key` in this process has settled. */
async function inProcessQueue<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  let done!: () => void;
  const current = new Promise<void>((resolve) => (done = resolve));
  const tail = previous.then(() => current);
  queues.set(key, tail);
  await previous;
  try {
    return await task();
  } finally {
    done();
    if (queues.get(key) === tail) queues.delete(key);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * proper-lockfile (with graceful-fs, which patches `fs` as it loads) is loaded on the first write,
 * not when the extension activates: activation stays cheap for windows that never write a thread.
 */
let lockfileModule: Promise<typeof import('proper-lockfile')> | undefined;
const loadLockfile = () => (lockfileModule ??= import('proper-lockfile'));

/**
 * The cross-process half: a lock directory (proper-lockfile: mkdir is atomic on every file
 * system, the holder refreshes its mtime, a lock left by a killed process goes stale). Polls with
 * short jittered waits because our critical sections last milliseconds; the retry package's
 * defaults (seconds) would make two busy windows crawl. `lockPath` names the lock through its
 * folder as opened and checked by the caller (src/core/store/opened-folder.ts), and `shown` is
 * how messages name it.
 */
async function acquire(lockPath: string, shown: string, options: PathLockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + options.timeoutMs;
  let wait = 0.5;
  const lockfile = await loadLockfile();
  for (;;) {
    try {
      return await lockfile.lock(lockPath, {
        realpath: false,
        lockfilePath: lockPath,
        stale: options.staleMs,
        onCompromised: (error) =>
          options.logger.warn(`The lock ${shown} was taken over by another process while held: ${errorMessage(error)}`),
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ELOCKED') throw toStoreError(error, 'write in', path.dirname(shown));
      if (Date.now() >= deadline) {
        throw new StoreError(
          'LOCK_TIMEOUT',
          `Gave up after ${options.timeoutMs} ms waiting for ${shown}: another process (another VS Code window?) is holding it.`,
          shown,
        );
      }
      await sleep(wait * (0.5 + Math.random()));
      wait = Math.min(wait * 2, 8);
    }
  }
}

/**
 * Serializes work on `target` within this process and across processes. The lock lives at
 * `<target>.lock`, beside the target, so the target itself (a file or a folder) may be created,
 * replaced or deleted while it is held; `lockPath` is that name as the caller opened it.
 */
export function withPathLock<T>(
  target: string,
  lockPath: string,
  options: PathLockOptions,
  task: () => Promise<T>,
): Promise<T> {
  return inProcessQueue(target, async () => {
    const release = await acquire(lockPath, `${target}.lock`, options);
    try {
      return await task();
    } finally {
      await release().catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'ERELEASED') {
          options.logger.warn(`Could not release the lock ${target}.lock: ${errorMessage(error)}`);
        }
      });
    }
  });
}

/**
 * The names lock of a plain folder (the models folder): `task` runs holding `<folder>/.names.lock`
 * (src/core/store/folder-names.ts), taken through the folder as opened.
 */
export async function withNamesLock<T>(
  folder: string,
  task: () => Promise<T>,
  logger: Logger = silentLogger,
): Promise<T> {
  const opened = await openFolder(folder);
  try {
    return await withPathLock(
      path.join(folder, NAMES_LOCK).slice(0, -'.lock'.length),
      opened.entry(NAMES_LOCK),
      { staleMs: 10_000, timeoutMs: 30_000, logger },
      task,
    );
  } finally {
    await opened.close();
  }
}
