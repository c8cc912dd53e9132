/**
 * Entry of the short-lived download child process. A download must not run on the extension
 * host's thread (nor load node-llama-cpp there), so the models extension forks this script for one download: resolve the URI, wait for the parent's
 * go-ahead (it checks disk space against the resolved size), download with node-llama-cpp's
 * resumable downloader (ipull), verify the checksum, report, exit. Every request goes through
 * FetchGuard (guarded-fetch.ts), installed as this process's `fetch`: it applies the URL policy to
 * every redirect hop, ends the download at once on a failure before the transfer, retries only
 * transient failures mid-transfer, and caps the bytes at the free space measured before starting.
 */
import { unlink } from 'node:fs/promises';
import { createModelDownloader, type ModelDownloader } from 'node-llama-cpp';
import { redactText } from '@jan/core';
import { sha256OfFile } from './checksum';
import { DownloadFailure, FetchGuard } from './guarded-fetch';
import { parseParentMessage, type ChildMessage, type DownloadJob } from './protocol';

/** ipull reports every few KB; the parent only needs a steady trickle. */
const PROGRESS_INTERVAL_MS = 100;

let downloader: ModelDownloader | undefined;
let job: DownloadJob | undefined;
let cancelled = false;
let finished = false;
let lastProgressAt = 0;
let pendingProgress: NodeJS.Timeout | undefined;
let guard: FetchGuard | undefined;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** The one last message; anything after it (ipull's own retries of a failed request) is dropped. */
async function finish(message: ChildMessage): Promise<void> {
  if (finished) return;
  finished = true;
  clearTimeout(pendingProgress);
  await send(message);
  process.exit(0);
}

/** Library errors quote whole URLs; what leaves this process never holds credentials or a query string. */
function errorText(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}

/** The guard found a failure that ends the download: stop ipull, keep what it saved, report. */
async function failWith(failure: DownloadFailure): Promise<void> {
  if (cancelled || finished) return;
  cancelled = true;
  await downloader?.cancel({ deleteTempFile: false }).catch(() => undefined);
  await finish({ type: 'error', code: failure.code, message: failure.message });
}

/** At most one report per interval, but the latest one always goes out: a stalled download must show where it stalled. */
function reportProgress(downloadedBytes: number, totalBytes: number): void {
  clearTimeout(pendingProgress);
  const wait = lastProgressAt + PROGRESS_INTERVAL_MS - Date.now();
  const report = () => {
    lastProgressAt = Date.now();
    void send({ type: 'progress', downloadedBytes, totalBytes });
  };
  if (wait <= 0) report();
  else pendingProgress = setTimeout(report, wait);
}

async function resolve(next: DownloadJob): Promise<void> {
  job = next;
  guard = new FetchGuard(globalThis.fetch, {
    retryDelaysMs: next.retryDelaysMs,
    stallTimeoutMs: next.stallTimeoutMs,
    onRetry: (notice) => void send({ type: 'retrying', ...notice }),
    onFatal: (failure) => void failWith(failure),
  });
  globalThis.fetch = guard.fetch;
  downloader = await createModelDownloader({
    modelUri: next.uri,
    dirPath: next.dirPath,
    ...(next.fileName ? { fileName: next.fileName } : {}),
    ...(next.huggingFaceEndpoint ? { endpoints: { huggingFace: next.huggingFaceEndpoint } } : {}),
    // The partial file is the resume point; only the user's "discard" deletes it.
    deleteTempFileOnCancel: false,
    skipExisting: true,
    showCliProgress: false,
    onProgress: ({ downloadedSize, totalSize }) => reportProgress(downloadedSize, totalSize),
  });
  if (cancelled) return;
  await send({
    type: 'resolved',
    entrypoint: downloader.entrypointFilePath,
    files: downloader.filesInfo.map((file) => file.filePath),
    totalBytes: downloader.totalSize,
    downloadedBytes: downloader.downloadedSize,
  });
}

async function download(maxBytes: number): Promise<void> {
  if (!downloader || !job || !guard) throw new Error('"download" arrived before "resolve"');
  guard.limitBody(maxBytes);
  const entrypoint = await downloader.download();
  if (cancelled) return;
  clearTimeout(pendingProgress);
  await send({ type: 'progress', downloadedBytes: downloader.totalSize, totalBytes: downloader.totalSize });
  const files = downloader.filesInfo.map((file) => file.filePath);
  if (job.sha256) {
    await send({ type: 'verifying' });
    const actual = await sha256OfFile(entrypoint);
    if (actual !== job.sha256.toLowerCase()) {
      await Promise.all(files.map((file) => unlink(file).catch(() => undefined)));
      return finish({
        type: 'error',
        code: 'CHECKSUM_MISMATCH',
        message: `The downloaded file's sha256 is ${actual}, expected ${job.sha256}. The file was removed.`,
      });
    }
  }
  await finish({ type: 'done', entrypoint, files });
}

async function cancel(discard: boolean): Promise<void> {
  cancelled = true;
  clearTimeout(pendingProgress);
  const keptBytes = discard ? 0 : (downloader?.downloadedSize ?? 0);
  await downloader?.cancel({ deleteTempFile: discard }).catch(() => undefined);
  await finish({ type: 'cancelled', keptBytes });
}

async function handle(raw: unknown): Promise<void> {
  const message = parseParentMessage(raw);
  if (!message) {
    return finish({
      type: 'error',
      code: 'PROTOCOL',
      message: `Invalid message from the parent: ${JSON.stringify(raw)}`,
    });
  }
  try {
    if (message.type === 'resolve') await resolve(message.job);
    else if (message.type === 'download') await download(message.maxBytes);
    else await cancel(message.discard);
  } catch (error) {
    if (error instanceof DownloadFailure) await failWith(error);
    else if (!cancelled) await finish({ type: 'error', code: 'DOWNLOAD_FAILED', message: errorText(error) });
  }
}

process.on('message', (raw) => void handle(raw));
// The parent went away (editor closed or crashed): stop writing, keep the partial file for resume.
process.on('disconnect', () => void cancel(false));
