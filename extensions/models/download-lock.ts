/**
 * Two VS Code windows downloading the same source share one staging folder (download-model.ts).
 * A lock beside it (`<staging>.lock`, proper-lockfile: an atomic mkdir whose mtime the holder
 * refreshes, taken over once stale when the holder died) lets one window download while the
 * other waits, says who holds it (`<staging>.owner`), and then reuses the installed model.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '@jan/core';
import { DownloadCancelled } from './errors';

/** A holder that stops refreshing the lock for this long is gone; the lock is taken over. */
const STALE_MS = 10_000;
const POLL_MS = 250;

export interface DownloadLock {
  /** True when another window held the lock first (it may have installed the model meanwhile). */
  waited: boolean;
  release(): Promise<void>;
}

export interface DownloadLockOptions {
  signal?: AbortSignal;
  /** Called while another window holds the lock, with who that is. */
  onWaiting(owner: string): void;
  logger: Logger;
}

function describeOwner(text: string | undefined): string {
  try {
    const owner = JSON.parse(text ?? '') as { pid?: unknown; host?: unknown; since?: unknown };
    if (typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.since === 'string') {
      return `another VS Code window (process ${owner.pid} on ${owner.host}, since ${owner.since})`;
    }
  } catch {
    // Being written or removed right now: say what is certain.
  }
  return 'another VS Code window';
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DownloadCancelled(0));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DownloadCancelled(0));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Takes the download lock of `staging`, waiting (cancellably) while another window holds it. */
export async function lockDownload(staging: string, options: DownloadLockOptions): Promise<DownloadLock> {
  const lockfile = await import('proper-lockfile');
  const ownerFile = `${staging}.owner`;
  let waited = false;
  for (;;) {
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(staging, {
        realpath: false,
        stale: STALE_MS,
        onCompromised: (error) =>
          options.logger.warn(`The download lock ${staging}.lock was taken over while held: ${error.message}`),
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      // The other window removed the empty `.downloads` folder as it finished.
      if (code === 'ENOENT') {
        await mkdir(path.dirname(staging), { recursive: true });
        continue;
      }
      if (code !== 'ELOCKED') throw error;
      waited = true;
      options.onWaiting(describeOwner(await readFile(ownerFile, 'utf8').catch(() => undefined)));
      await pause(POLL_MS, options.signal);
      continue;
    }
    await writeFile(
      ownerFile,
      JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }),
    );
    return {
      waited,
      release: async () => {
        await rm(ownerFile, { force: true });
        await release().catch((error: unknown) =>
          options.logger.warn(`Could not release the download lock ${staging}.lock: ${(error as Error).message}`),
        );
      },
    };
  }
}

/** True while some window holds the download lock of `staging` (and has not gone stale). */
export async function isDownloadLocked(staging: string): Promise<boolean> {
  const lockfile = await import('proper-lockfile');
  return lockfile.check(staging, { realpath: false, stale: STALE_MS }).catch(() => false);
}
