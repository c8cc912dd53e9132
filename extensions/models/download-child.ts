/**
 * Parent side of one download: forks the download child (extensions/llamacpp/worker/
 * downloader/main.ts, bundled as dist/model-download.mjs), drives it through
 * resolve → go-ahead → download, and makes sure it is gone afterwards. Cancelling asks the child
 * to stop (it keeps or deletes its partial file as told) and kills it if it does not exit in time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { redactText, type Logger } from '@jan/core';
import { parseChildMessage, type ChildMessage, type DownloadJob, type ParentMessage } from './downloader/protocol';
import { DownloadCancelled, ModelError } from './errors';

export interface ResolvedDownload {
  entrypoint: string;
  files: string[];
  totalBytes: number;
  downloadedBytes: number;
}

export interface DownloadProgress {
  /** `retrying`: a transient failure mid-transfer, see `retry`; `waiting`: another window holds the download, see `owner`. */
  phase: 'downloading' | 'verifying' | 'retrying' | 'waiting';
  downloadedBytes: number;
  totalBytes: number;
  retry?: { attempt: number; attempts: number; secondsLeft: number; reason: string };
  /** Who is downloading this source (phase `waiting`). */
  owner?: string;
}

export interface ChildDownloadOptions {
  workerPath: string;
  job: DownloadJob;
  /**
   * Runs once the size is known and returns the most bytes the download may write (the free
   * space measured now); throwing refuses the download (its partial file is kept).
   */
  beforeDownload(resolved: ResolvedDownload): Promise<number>;
  onProgress?(progress: DownloadProgress): void;
  signal?: AbortSignal;
  /** On cancel, delete the partial file instead of keeping it for resume. */
  discardOnCancel?: boolean;
  /** How long a cancelled child may take to exit before it is killed. */
  cancelGraceMs: number;
  logger: Logger;
}

export interface FinishedDownload {
  entrypoint: string;
  files: string[];
}

function pipeLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  stream?.setEncoding('utf8');
  stream?.on('data', (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) log(line);
  });
}

export function runDownloadChild(options: ChildDownloadOptions): Promise<FinishedDownload> {
  const { signal, logger } = options;
  if (signal?.aborted) return Promise.reject(new DownloadCancelled(0));

  let child: ChildProcess;
  try {
    child = fork(options.workerPath, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
      serialization: 'json',
    });
  } catch (error) {
    return Promise.reject(
      new ModelError('DOWNLOAD_FAILED', `Could not start the download process: ${(error as Error).message}`),
    );
  }
  pipeLines(child.stdout, (line) => logger.debug(`[download] ${redactText(line)}`));
  pipeLines(child.stderr, (line) => logger.warn(`[download] ${redactText(line)}`));

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let killTimer: NodeJS.Timeout | undefined;
  const stopChild = (message?: ParentMessage): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      if (message && child.connected) child.send(message);
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), options.cancelGraceMs);
    }
    return exited.finally(() => clearTimeout(killTimer));
  };

  return new Promise<FinishedDownload>((resolve, reject) => {
    let settled = false;
    let stopping: Error | undefined;

    const fail = (error: Error, message?: ParentMessage) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void stopChild(message).then(() => reject(error));
    };
    const succeed = (result: FinishedDownload) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void stopChild().then(() => resolve(result));
    };
    // The child answers a cancel with how much it kept; only then (or when it is gone) is the download over.
    let aborting = false;
    const onAbort = () => {
      if (settled) return;
      aborting = true;
      void stopChild({ type: 'cancel', discard: options.discardOnCancel ?? false });
    };
    signal?.addEventListener('abort', onAbort);

    const send = (message: ParentMessage) => {
      if (child.connected) child.send(message);
    };

    let last = { downloadedBytes: 0, totalBytes: 0 };
    const onMessage = async (message: ChildMessage) => {
      switch (message.type) {
        case 'resolved': {
          let maxBytes: number;
          try {
            maxBytes = await options.beforeDownload(message);
          } catch (error) {
            stopping = error as Error;
            return fail(stopping, { type: 'cancel', discard: false });
          }
          if (!settled) send({ type: 'download', maxBytes });
          return;
        }
        case 'progress':
          last = { downloadedBytes: message.downloadedBytes, totalBytes: message.totalBytes };
          options.onProgress?.({ phase: 'downloading', ...last });
          return;
        case 'retrying': {
          const { attempt, attempts, secondsLeft, reason } = message;
          options.onProgress?.({ phase: 'retrying', ...last, retry: { attempt, attempts, secondsLeft, reason } });
          return;
        }
        case 'verifying':
          options.onProgress?.({ phase: 'verifying', downloadedBytes: 0, totalBytes: 0 });
          return;
        case 'done':
          return succeed({ entrypoint: message.entrypoint, files: message.files });
        case 'cancelled':
          return fail(stopping ?? new DownloadCancelled(message.keptBytes));
        case 'error':
          return fail(new ModelError(message.code === 'PROTOCOL' ? 'DOWNLOAD_FAILED' : message.code, message.message));
      }
    };

    child.on('message', (raw) => {
      const message = parseChildMessage(raw);
      if (!message)
        return fail(
          new ModelError('DOWNLOAD_FAILED', `The download process sent an invalid message: ${JSON.stringify(raw)}`),
        );
      void onMessage(message);
    });
    child.on('error', (error) =>
      fail(new ModelError('DOWNLOAD_FAILED', `The download process failed: ${error.message}`)),
    );
    // 'close' comes after the IPC channel is drained, so a final 'done' is never mistaken for a crash.
    child.on('close', (code, exitSignal) =>
      fail(
        aborting
          ? new DownloadCancelled(undefined)
          : new ModelError(
              'DOWNLOAD_FAILED',
              `The download process exited unexpectedly (${exitSignal ?? `code ${code}`}); the partial file is kept for a retry.`,
            ),
      ),
    );
    send({ type: 'resolve', job: options.job });
  });
}
