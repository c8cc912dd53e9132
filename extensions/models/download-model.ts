/**
 * Downloads a model into the models folder. The file is fetched into a staging folder
 * `<models>/.downloads/<key of the URI>/` (not a model: the registry skips dot-folders), so the
 * same URI resumes there after a cancel, a crash or a dropped connection. Only a complete,
 * checksum-verified GGUF is moved into `<models>/<id>/` next to a new model.json.
 */
import type { Logger, Model } from '@jan/core';
import { rename, rm, rmdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ensureFreeSpace, type FreeSpaceReader } from './disk-space';
import { runDownloadChild, type DownloadProgress } from './download-child';
import { checkDownloadUri, checkSha256, hfFileName, stagingKey } from './download-source';
import { ModelError } from './errors';
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

async function ensureNotInstalled(store: ModelStore, request: DownloadRequest, uri: string): Promise<void> {
  if (request.id !== undefined && !isValidModelId(request.id)) {
    throw new ModelError('INVALID_ID', `"${request.id}" is not a valid model id.`);
  }
  const { entries } = await store.list();
  const installed = entries.find((entry) => entry.model.id === request.id || entry.model.sources.some((source) => source.url === uri));
  if (installed) {
    throw new ModelError('ALREADY_INSTALLED', `"${installed.model.name}" (${installed.model.id}) is already installed.`);
  }
}

/** Moves the finished files into a new model folder and writes model.json; undoes the move on failure. */
async function install(
  context: DownloaderContext,
  request: DownloadRequest,
  uri: string,
  sha256: string | undefined,
  entrypoint: string,
  files: string[],
): Promise<Model> {
  let header: GgufSummary;
  try {
    header = await readGgufHeader(entrypoint);
  } catch (error) {
    throw new ModelError('INVALID_MODEL_FILE', `The downloaded file is not a usable model. ${(error as Error).message}`);
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
      source: { filename: fileName, url: uri },
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

export async function downloadGguf(context: DownloaderContext, request: DownloadRequest, options: DownloadOptions = {}): Promise<Model> {
  const uri = checkDownloadUri(request.uri);
  const sha256 = checkSha256(request.sha256);
  // Claimed before the first await: two calls in the same tick must not both pass the check.
  const key = stagingKey(uri);
  if (context.active.has(key)) throw new ModelError('BUSY', `${uri} is already being downloaded.`);
  context.active.add(key);
  const staging = stagingFolder(context.store, uri);
  const fileName = request.fileName ?? hfFileName(uri);
  let resumable = false;
  try {
    await ensureNotInstalled(context.store, request, uri);
    const finished = await runDownloadChild({
      workerPath: context.workerPath,
      job: {
        uri,
        dirPath: staging,
        ...(fileName ? { fileName } : {}),
        ...(sha256 ? { sha256 } : {}),
        ...(context.huggingFaceEndpoint ? { huggingFaceEndpoint: context.huggingFaceEndpoint } : {}),
      },
      beforeDownload: async (resolved) => {
        resumable = resolved.downloadedBytes > 0;
        const name = request.name ?? path.basename(resolved.entrypoint);
        await ensureFreeSpace(context.store.root, resolved.totalBytes - resolved.downloadedBytes, context.freeSpace, `"${name}"`);
      },
      onProgress: options.onProgress,
      signal: options.signal,
      discardOnCancel: options.discardOnCancel,
      cancelGraceMs: context.cancelGraceMs,
      logger: context.logger,
    });
    const model = await install(context, request, uri, sha256, finished.entrypoint, finished.files);
    await removeStaging(staging);
    return model;
  } catch (error) {
    const code = error instanceof ModelError ? error.code : undefined;
    // Keep what can be resumed; drop what cannot (or what the user asked to discard).
    const discard =
      (code === 'CANCELLED' && options.discardOnCancel) ||
      (code === 'INSUFFICIENT_DISK_SPACE' && !resumable) ||
      code === 'CHECKSUM_MISMATCH' ||
      code === 'INVALID_MODEL_FILE';
    if (discard) await removeStaging(staging);
    throw error;
  } finally {
    context.active.delete(key);
  }
}

/** Deletes the partial file of an interrupted download of `uri`. */
export async function discardPartialDownload(context: DownloaderContext, uri: string): Promise<void> {
  const checked = checkDownloadUri(uri);
  if (context.active.has(stagingKey(checked))) throw new ModelError('BUSY', `${checked} is being downloaded; cancel it first.`);
  await removeStaging(stagingFolder(context.store, checked));
}
