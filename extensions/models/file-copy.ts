import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ModelError } from './errors';

export interface CopyOptions {
  onProgress?(copiedBytes: number, totalBytes: number): void;
  signal?: AbortSignal;
}

/**
 * Copies a (large) file to a temp name next to `target`, fsyncs it, then renames it into place,
 * so `target` only ever exists complete. Cancelling removes the temp file.
 */
export async function copyFileWithProgress(
  source: string,
  target: string,
  totalBytes: number,
  options: CopyOptions = {},
): Promise<void> {
  const temp = `${target}.partial`;
  let copied = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      copied += chunk.length;
      options.onProgress?.(copied, totalBytes);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      createReadStream(source, { highWaterMark: 4 * 1024 * 1024 }),
      counter,
      createWriteStream(temp, { flags: 'wx' }),
      { signal: options.signal },
    );
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (options.signal?.aborted) throw new ModelError('CANCELLED', 'The import was cancelled.');
    throw error;
  }
}
