/**
 * Downloads a model into the models folder. The file is fetched into a staging folder
 * `<models>/.downloads/<key of the URI>/` (not a model: the registry skips dot-folders), so the
 * same URI resumes there after a cancel, a crash or a dropped connection. Only a complete,
 * checksum-verified GGUF is moved into `<models>/<id>/` next to a new model.json. Two windows
 * downloading the same source take turns through a lock beside the staging folder
 * (download-lock.ts). The URL's query string (a token, a signature) is used by the request only:
 * model.json, errors and the log get the redacted form (`redactUrl`, src/core/redact.ts).
 */
import { redactUrl, type Logger, type Model } from '@jan/core';
import { readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ensureFreeSpace, type FreeSpaceReader } from './disk-space';
import { runDownloadChild, type DownloadProgress } from './download-child';
import { isDownloadLocked, lockDownload } from './download-lock';
import { checkDownloadUri, checkSha256, hfFileName, stagingKey } from './download-source';
import { DownloadCancelled, ModelError } from './errors';
import { readGgufHeader, type GgufSummary } from './gguf-header';
import { isValidModelId, modelIdFromFileName, modelNameFromFileName } from './model-id';
import { buildModelRecord } from './model-record';
import type { ModelStore } from './model-store';

export interface DownloadRequest {
  /** `https://…` URL, `hf:` URI, or `http://127.0.0.1…`. */
  uri: string;
  /** Model id; derived from the file name when absent. */
  id?: string;
  name?: string;
  description?: string;
  /** Save under this file name instead of the one the URI gives. */
  fileName?: string;
  /** Checked after the download; on mismatch the file is removed. */
  sha256?: string;
  author?: string;
  license?: string;
  tags?: string[];
}

export interface DownloadOptions {
  onProgress?(progress: DownloadProgress): void;
  signal?: AbortSignal;
  /** On cancel, delete the partial file instead of keeping it for resume. */
  discardOnCancel?: boolean;
}

export interface DownloaderContext {
  store: ModelStore;
  workerPath: string;
  freeSpace: FreeSpaceReader;
  huggingFaceEndpoint?: string;
  cancelGraceMs: number;
  /** Waits before each retry of a transient failure mid-transfer (see downloader/guarded-fetch.ts). */
  retryDelaysMs: readonly number[];
  /** No answer, or no body bytes, for this long is a failure (retried mid-transfer). */
  stallTimeoutMs: number;
  logger: Logger;
  /** Staging keys of downloads running in this process. */
  active: Set<string>;
}

export function stagingFolder(store: ModelStore, uri: string): string {
  return path.join(store.root, '.downloads', stagingKey(uri));
}

/** Removes a download's staging folder, and `.downloads` itself once nothing else is in it. */
async function removeStaging(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
  await rmdir(path.dirname(staging)).catch(() => undefined);
}

async function ensureNotInstalled(store: ModelStore, request: DownloadRequest, shown: string): Promise<void> {
  if (request.id !== undefined && !isValidModelId(request.id)) {
    throw new ModelError('INVALID_ID', `"${request.id}" is not a valid model id.`);
  }
  const installed = await findInstalled(store, request, shown);
  if (installed)
    throw new ModelError('ALREADY_INSTALLED', `"${installed.name}" (${installed.id}) is already installed.`);
}

/** Moves the finished files into a new model folder and writes model.json; undoes the move on failure. */
async function install(
  context: DownloaderContext,
  request: DownloadRequest,
  /** The source as stored in model.json: without its query string. */
  shown: string,
  sha256: string | undefined,
  entrypoint: string,
  files: string[],
): Promise<Model> {
  let header: GgufSummary;
  try {
    header = await readGgufHeader(entrypoint);
  } catch (error) {
    throw new ModelError(
      'INVALID_MODEL_FILE',
      `The downloaded file is not a usable model. ${(error as Error).message}`,
    );
  }
  const fileName = path.basename(entrypoint);
  const { id, folder } = await context.store.createFolder(request.id ?? modelIdFromFileName(fileName));
  const moved: Array<[string, string]> = [];
  try {
    for (const file of files) {
      const target = path.join(folder, path.basename(file));
      await rename(file, target);
      moved.push([target, file]);
    }
    const model = buildModelRecord({
      id,
      name: request.name ?? modelNameFromFileName(fileName),
      description: request.description,
      modelPath: fileName,
      source: { filename: fileName, url: shown },
      header,
      sha256,
      author: request.author,
      license: request.license,
      tags: request.tags ?? ['downloaded'],
    });
    await context.store.writeModel(folder, model);
    return model;
  } catch (error) {
    for (const [target, original] of moved) await rename(target, original).catch(() => undefined);
    await context.store.removeFolder(folder);
    throw error;
  }
}

/** An installed model that came from `shown` (the redacted source) or has the requested id. */
async function findInstalled(store: ModelStore, request: DownloadRequest, shown: string): Promise<Model | undefined> {
  const { entries } = await store.list();
  // An id differing only in case names the same folder on Windows and macOS: it is the same id.
  const id = request.id?.toLowerCase();
  return entries.find(
    (entry) =>
      entry.model.id.toLowerCase() === id || entry.model.sources.some((source) => redactUrl(source.url) === shown),
  )?.model;
}

/** Bytes in the staging folder; tells whether a cancel kept anything when the child could not say. */
async function stagedBytes(staging: string): Promise<number> {
  const names = await readdir(staging).catch(() => [] as string[]);
  const sizes = await Promise.all(
    names.map(async (name) => (await stat(path.join(staging, name)).catch(() => undefined))?.size ?? 0),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** One download under the lock: the child, the checks, the install, and cleanup of what cannot be resumed. */
async function runDownload(
  context: DownloaderContext,
  request: DownloadRequest,
  source: { uri: string; shown: string; sha256?: string; staging: string },
  options: DownloadOptions,
): Promise<Model> {
  const { uri, shown, sha256, staging } = source;
  const { logger } = context;
  const fileName = request.fileName ?? hfFileName(uri);
  const started = Date.now();
  let resumable = false;
  let totalBytes = 0;
  logger.info(`Download started: ${shown} into ${staging}`);
  try {
    const finished = await runDownloadChild({
      workerPath: context.workerPath,
      job: {
        uri,
        dirPath: staging,
        ...(fileName ? { fileName } : {}),
        ...(sha256 ? { sha256 } : {}),
        ...(context.huggingFaceEndpoint ? { huggingFaceEndpoint: context.huggingFaceEndpoint } : {}),
        retryDelaysMs: [...context.retryDelaysMs],
        stallTimeoutMs: context.stallTimeoutMs,
      },
      beforeDownload: async (resolved) => {
        resumable = resolved.downloadedBytes > 0;
        totalBytes = resolved.totalBytes;
        const size = resolved.totalBytes > 0 ? `${resolved.totalBytes} bytes` : 'size not given by the server';
        logger.info(
          `Download ${shown}: ${size}${resumable ? `, resuming after ${resolved.downloadedBytes} bytes` : ''}`,
        );
        const name = request.name ?? path.basename(resolved.entrypoint);
        // The free space is also the cap on what is written when the server gives no size.
        return ensureFreeSpace(
          context.store.root,
          resolved.totalBytes - resolved.downloadedBytes,
          context.freeSpace,
          `"${name}"`,
        );
      },
      onProgress: (progress) => {
        if (progress.phase === 'retrying' && progress.retry) {
          const { attempt, attempts, secondsLeft, reason } = progress.retry;
          if (secondsLeft === Math.ceil(context.retryDelaysMs[attempt - 1]! / 1000)) {
            logger.warn(
              `Download ${shown}: ${reason}; retry ${attempt} of ${attempts} in ${secondsLeft} s, after ${progress.downloadedBytes} bytes`,
            );
          }
        }
        options.onProgress?.(progress);
      },
      signal: options.signal,
      discardOnCancel: options.discardOnCancel,
      cancelGraceMs: context.cancelGraceMs,
      logger,
    });
    const model = await install(context, request, shown, sha256, finished.entrypoint, finished.files);
    await removeStaging(staging);
    const bytes = totalBytes || model.metadata.size;
    logger.info(
      `Download finished: ${shown}, ${String(bytes)} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s, installed as "${model.id}"`,
    );
    return model;
  } catch (error) {
    const code = error instanceof ModelError ? error.code : undefined;
    let thrown = error;
    if (error instanceof DownloadCancelled) {
      const kept = options.discardOnCancel ? 0 : (error.keptBytes ?? (await stagedBytes(staging)));
      thrown = new DownloadCancelled(kept);
      logger.info(`Download cancelled: ${shown}, ${kept > 0 ? `${kept} bytes kept for a resume` : 'nothing was kept'}`);
    } else {
      logger.error(`Download failed: ${shown}: ${(error as Error).message}`);
    }
    // Keep what can be resumed; drop what cannot (or what the user asked to discard).
    const discard =
      (thrown instanceof DownloadCancelled && thrown.keptBytes === 0) ||
      (code === 'INSUFFICIENT_DISK_SPACE' && !resumable) ||
      code === 'CHECKSUM_MISMATCH' ||
      code === 'INVALID_MODEL_FILE' ||
      code === 'INVALID_SOURCE' ||
      (code === 'DOWNLOAD_FAILED' && !resumable && (await stagedBytes(staging)) === 0);
    if (discard) await removeStaging(staging);
    throw thrown;
  }
}

export async function downloadGguf(
  context: DownloaderContext,
  request: DownloadRequest,
  options: DownloadOptions = {},
): Promise<Model> {
  const uri = checkDownloadUri(request.uri);
  const shown = redactUrl(uri);
  const sha256 = checkSha256(request.sha256);
  // Claimed before the first await: two calls in the same tick must not both pass the check.
  const key = stagingKey(uri);
  if (context.active.has(key)) throw new ModelError('BUSY', `${shown} is already being downloaded.`);
  context.active.add(key);
  const staging = stagingFolder(context.store, uri);
  try {
    await ensureNotInstalled(context.store, request, shown);
    const lock = await lockDownload(staging, {
      signal: options.signal,
      logger: context.logger,
      onWaiting: (owner) => options.onProgress?.({ phase: 'waiting', downloadedBytes: 0, totalBytes: 0, owner }),
    });
    try {
      const installed = lock.waited ? await findInstalled(context.store, request, shown) : undefined;
      if (installed) {
        context.logger.info(`Download ${shown}: installed meanwhile by another window as "${installed.id}"; using it`);
        return installed;
      }
      return await runDownload(context, request, { uri, shown, sha256, staging }, options);
    } finally {
      await lock.release();
      // `.downloads` goes once nothing else is in it (the lock sat beside the staging folder).
      await rmdir(path.dirname(staging)).catch(() => undefined);
    }
  } finally {
    context.active.delete(key);
  }
}

/** Deletes the partial file of an interrupted download of `uri`. */
export async function discardPartialDownload(context: DownloaderContext, uri: string): Promise<void> {
  const checked = checkDownloadUri(uri);
  const staging = stagingFolder(context.store, checked);
  if (context.active.has(stagingKey(checked)) || (await isDownloadLocked(staging))) {
    throw new ModelError(
      'BUSY',
      `${redactUrl(checked)} is being downloaded (here or in another VS Code window); cancel it first.`,
    );
  }
  await removeStaging(staging);
}
