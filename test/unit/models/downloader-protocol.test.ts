import { describe, expect, it } from 'vitest';
import type { Validated } from '@jan/validation';
import { parseChildMessage, parseParentMessage } from '../../../extensions/models/downloader/protocol';

/** The checked message, or undefined when it was refused (then the error names where and why). */
function accepted<T>(result: Validated<T>): T | undefined {
  if (!result.ok) expect(result.error).toMatch(/^(Invalid message from the parent|The download process sent)/);
  return result.ok ? result.value : undefined;
}
const parent = (message: unknown) => accepted(parseParentMessage(message));
const child = (message: unknown) => accepted(parseChildMessage(message));

describe('download child protocol', () => {
  it('accepts the parent messages', () => {
    const job = {
      uri: 'https://h/x.gguf',
      dirPath: '/tmp/d',
      sha256: 'a'.repeat(64),
      retryDelaysMs: [1000, 2000],
      stallTimeoutMs: 20000,
    };
    expect(parent({ type: 'resolve', job })).toEqual({ type: 'resolve', job });
    expect(parent({ type: 'download', maxBytes: 1e12 })).toEqual({ type: 'download', maxBytes: 1e12 });
    expect(parent({ type: 'cancel', discard: true })).toEqual({ type: 'cancel', discard: true });
  });

  it.each([
    null,
    'resolve',
    { type: 'resolve' },
    { type: 'resolve', job: { uri: 1, dirPath: '/d' } },
    { type: 'resolve', job: { uri: 'u', dirPath: '/d', fileName: 3, retryDelaysMs: [], stallTimeoutMs: 1 } },
    { type: 'resolve', job: { uri: 'u', dirPath: '/d', retryDelaysMs: [-1], stallTimeoutMs: 1 } },
    { type: 'resolve', job: { uri: 'u', dirPath: '/d', retryDelaysMs: [] } },
    { type: 'download' },
    { type: 'download', maxBytes: Number.POSITIVE_INFINITY },
    { type: 'cancel' },
    { type: 'explode' },
  ])('refuses the parent message %j', (message) => expect(parent(message)).toBeUndefined());

  it('accepts the child messages and copies only known fields', () => {
    expect(
      child({
        type: 'resolved',
        entrypoint: '/d/x.gguf',
        files: ['/d/x.gguf'],
        totalBytes: 10,
        downloadedBytes: 4,
        extra: 1,
      }),
    ).toEqual({
      type: 'resolved',
      entrypoint: '/d/x.gguf',
      files: ['/d/x.gguf'],
      totalBytes: 10,
      downloadedBytes: 4,
    });
    expect(child({ type: 'progress', downloadedBytes: 5, totalBytes: 10 })).toEqual({
      type: 'progress',
      downloadedBytes: 5,
      totalBytes: 10,
    });
    expect(child({ type: 'done', entrypoint: '/d/x.gguf', files: [] })).toEqual({
      type: 'done',
      entrypoint: '/d/x.gguf',
      files: [],
    });
    expect(child({ type: 'error', code: 'CHECKSUM_MISMATCH', message: 'bad' })).toEqual({
      type: 'error',
      code: 'CHECKSUM_MISMATCH',
      message: 'bad',
    });
    expect(child({ type: 'verifying' })).toEqual({ type: 'verifying' });
    expect(child({ type: 'cancelled', keptBytes: 0 })).toEqual({ type: 'cancelled', keptBytes: 0 });
    const retrying = { type: 'retrying', attempt: 1, attempts: 5, secondsLeft: 3, reason: 'reset' };
    expect(child(retrying)).toEqual(retrying);
  });

  it.each([
    { type: 'progress', downloadedBytes: -1, totalBytes: 10 },
    { type: 'progress', downloadedBytes: 1.5, totalBytes: 10 },
    { type: 'resolved', entrypoint: '/x', files: [1], totalBytes: 1, downloadedBytes: 0 },
    { type: 'error', code: 'WHATEVER', message: 'x' },
    { type: 'done', files: [] },
    { type: 'cancelled' },
    { type: 'retrying', attempt: 1, attempts: 5, secondsLeft: -1, reason: 'x' },
    [],
  ])('refuses the child message %j', (message) => expect(child(message)).toBeUndefined());
});
