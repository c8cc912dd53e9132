/**
 * Entry of the short-lived download child process. A download must not run on the extension
 * host's thread (nor load node-llama-cpp there), so the models extension forks this script for one download: resolve the URI, wait for the parent's
 * go-ahead (it checks disk space against the resolved size), download with node-llama-cpp's
 * resumable downloader (ipull; it retries a dropped connection from the last saved chunk),
 * verify the checksum, report, exit.
 */
import { unlink } from 'node:fs/promises';
import { createModelDownloader, type ModelDownloader } from 'node-llama-cpp';
import { sha256OfFile } from './checksum';
import { parseParentMessage, type ChildMessage, type DownloadJob } from './protocol';

/** ipull reports every few KB; the parent only needs a steady trickle. */
const PROGRESS_INTERVAL_MS = 100;

let downloader: ModelDownloader | undefined;
let job: DownloadJob | undefined;
let cancelled = false;
let lastProgressAt = 0;
let pendingProgress: NodeJS.Timeout | undefined;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function finish(message: ChildMessage): Promise<void> {
  await send(message);
  process.exit(0);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

async function download(): Promise<void> {
  if (!downloader || !job) throw new Error('"download" arrived before "resolve"');
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
  await downloader?.cancel({ deleteTempFile: discard }).catch(() => undefined);
  await finish({ type: 'cancelled' });
}

async function handle(raw: unknown): Promise<void> {
  const message = parseParentMessage(raw);
  if (!message) {
    return finish({ type: 'error', code: 'PROTOCOL', message: `Invalid message from the parent: ${JSON.stringify(raw)}` });
  }
  try {
    if (message.type === 'resolve') await resolve(message.job);
    else if (message.type === 'download') await download();
    else await cancel(message.discard);
  } catch (error) {
    if (!cancelled) await finish({ type: 'error', code: 'DOWNLOAD_FAILED', message: errorText(error) });
  }
}

process.on('message', (raw) => void handle(raw));
// The parent went away (editor closed or crashed): stop writing, keep the partial file for resume.
process.on('disconnect', () => void cancel(false));
