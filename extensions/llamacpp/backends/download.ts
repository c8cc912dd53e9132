import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EngineError } from '@jan/core';
import { checkRegistryUrl, type PackageDist } from './registry';

export interface DownloadProgress {
  /** Bytes of this tarball on disk, those kept from an earlier try included. */
  receivedBytes: number;
  totalBytes: number;
}

/** A cancelled download: what is on disk is kept and the next try resumes from it. */
export class BackendDownloadCancelled extends EngineError {
  constructor(readonly keptBytes: number) {
    super('ABORTED', 'The download was cancelled.');
  }
}

/**
 * Downloads a package tarball to `file`, resuming a partial one left by a cut or a cancel (an
 * HTTP Range request from the byte it stopped at, when the partial was for the same tarball and
 * integrity), then checks the whole file against the registry's sha512 before it is used. A
 * mismatch deletes it. The body may not grow past the size announced.
 */
export async function downloadTarball(
  dist: PackageDist,
  file: string,
  options: { signal?: AbortSignal; onProgress?(progress: DownloadProgress): void } = {},
): Promise<void> {
  const partial = `${file}.partial`;
  const sidecar = `${file}.json`;
  const identity = JSON.stringify({ tarball: dist.tarball.href, integrity: dist.integrity });
  const kept = (await readFile(sidecar, 'utf8').catch(() => undefined)) === identity ? await sizeOf(partial) : 0;
  if (kept === 0) await writeFile(sidecar, identity);
  const response = await fetchFrom(dist, kept, options.signal);
  const resumed = response.status === 206;
  const total = dist.sizeBytes || Number(response.headers.get('content-length') ?? 0) + (resumed ? kept : 0);
  let received = resumed ? kept : 0;
  const limit = total > 0 ? total : Number.POSITIVE_INFINITY;
  try {
    if (response.body) {
      const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limit) body.destroy(new EngineError('REMOTE_ERROR', `${dist.name} is larger than announced.`));
        options.onProgress?.({ receivedBytes: received, totalBytes: total });
      });
      await pipeline(body, createWriteStream(partial, { flags: resumed ? 'a' : 'w' }));
    }
  } catch (error) {
    if (options.signal?.aborted) throw new BackendDownloadCancelled(await sizeOf(partial));
    if (error instanceof EngineError) throw error;
    throw new EngineError(
      'REMOTE_ERROR',
      `The download of ${dist.name} was cut after ${received} bytes (${(error as Error).message}); trying again resumes it.`,
    );
  }
  if ((await sha512(partial)) !== dist.integrity) {
    await Promise.all([rm(partial, { force: true }), rm(sidecar, { force: true })]);
    throw new EngineError(
      'REMOTE_ERROR',
      `The download of ${dist.name}@${dist.version} does not match the registry's sha512 integrity; it was deleted and nothing was installed.`,
    );
  }
  await rename(partial, file);
  await rm(sidecar, { force: true });
}

async function fetchFrom(dist: PackageDist, from: number, signal: AbortSignal | undefined): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(dist.tarball, { headers: from > 0 ? { range: `bytes=${from}-` } : {}, signal });
  } catch (error) {
    if (signal?.aborted) throw new BackendDownloadCancelled(from);
    throw new EngineError(
      'REMOTE_ERROR',
      `Could not reach ${dist.tarball.origin} for ${dist.name}: ${(error as Error).message}`,
    );
  }
  // A redirect may lead elsewhere; the bytes are checked against the integrity anyway.
  checkRegistryUrl(response.url || dist.tarball.href, 'package download');
  const partialOk = response.status === 206 && response.headers.get('content-range')?.startsWith(`bytes ${from}-`);
  if (!response.ok || (response.status === 206 && !partialOk)) {
    await response.body?.cancel();
    throw new EngineError('REMOTE_ERROR', `${dist.tarball.origin} answered ${response.status} for ${dist.name}.`);
  }
  return response;
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.size ?? 0;
}

async function sha512(file: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  return `sha512-${hash.digest('base64')}`;
}
