/**
 * Parent side of one download: forks the download child (extensions/llamacpp/worker/
 * downloader/main.ts, bundled as dist/model-download.mjs), drives it through
 * resolve → go-ahead → download, and makes sure it is gone afterwards. Cancelling asks the child
 * to stop (it keeps or deletes its partial file as told) and kills it if it does not exit in time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from '@jan/core';
import { parseChildMessage, type ChildMessage, type DownloadJob, type ParentMessage } from './downloader/protocol';
import { ModelError } from './errors';

export interface ResolvedDownload {
  entrypoint: string;
  files: string[];
  totalBytes: number;
  downloadedBytes: number;
}

export interface DownloadProgress {
  phase: 'downloading' | 'verifying';
  downloadedBytes: number;
  totalBytes: number;
}

export interface ChildDownloadOptions {
  workerPath: string;
  job: DownloadJob;
  /** Runs once the size is known; throwing refuses the download (its partial file is kept). */
  beforeDownload(resolved: ResolvedDownload): Promise<void>;
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

function cancelled(): ModelError {
  return new ModelError('CANCELLED', 'The download was cancelled.');
}

function pipeLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  stream?.setEncoding('utf8');
  stream?.on('data', (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) log(line);
  });
}

export function runDownloadChild(options: ChildDownloadOptions): Promise<FinishedDownload> {
  const { signal, logger } = options;
  if (signal?.aborted) return Promise.reject(cancelled());

  let child: ChildProcess;
  try {
    child = fork(options.workerPath, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
      serialization: 'json',
    });
  } catch (error) {
    return Promise.reject(new ModelError('DOWNLOAD_FAILED', `Could not start the download process: ${(error as Error).message}`));
  }
  pipeLines(child.stdout, (line) => logger.debug(`[download] ${line}`));
  pipeLines(child.stderr, (line) => logger.warn(`[download] ${line}`));

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
    const onAbort = () => fail(cancelled(), { type: 'cancel', discard: options.discardOnCancel ?? false });
    signal?.addEventListener('abort', onAbort);

    const send = (message: ParentMessage) => {
      if (child.connected) child.send(message);
    };

    const onMessage = async (message: ChildMessage) => {
      switch (message.type) {
        case 'resolved':
          try {
            await options.beforeDownload(message);
          } catch (error) {
            stopping = error as Error;
            return fail(stopping, { type: 'cancel', discard: false });
          }
          if (!settled) send({ type: 'download' });
          return;
        case 'progress':
          options.onProgress?.({ phase: 'downloading', downloadedBytes: message.downloadedBytes, totalBytes: message.totalBytes });
          return;
        case 'verifying':
          options.onProgress?.({ phase: 'verifying', downloadedBytes: 0, totalBytes: 0 });
          return;
        case 'done':
          return succeed({ entrypoint: message.entrypoint, files: message.files });
        case 'cancelled':
          return fail(stopping ?? cancelled());
        case 'error':
          return fail(new ModelError(message.code === 'CHECKSUM_MISMATCH' ? 'CHECKSUM_MISMATCH' : 'DOWNLOAD_FAILED', message.message));
      }
    };

    child.on('message', (raw) => {
      const message = parseChildMessage(raw);
      if (!message) return fail(new ModelError('DOWNLOAD_FAILED', `The download process sent an invalid message: ${JSON.stringify(raw)}`));
      void onMessage(message);
    });
    child.on('error', (error) => fail(new ModelError('DOWNLOAD_FAILED', `The download process failed: ${error.message}`)));
    // 'close' comes after the IPC channel is drained, so a final 'done' is never mistaken for a crash.
    child.on('close', (code, exitSignal) =>
      fail(
        new ModelError('DOWNLOAD_FAILED', `The download process exited unexpectedly (${exitSignal ?? `code ${code}`}); the partial file is kept for a retry.`),
      ),
    );
    send({ type: 'resolve', job: options.job });
  });
}
