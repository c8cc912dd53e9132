import { describe, expect, it } from 'vitest';
import { parseChildMessage, parseParentMessage } from '../../../extensions/models/downloader/protocol';

describe('download child protocol', () => {
  it('accepts the parent messages', () => {
    const job = {
      uri: 'https://h/x.gguf',
      dirPath: '/tmp/d',
      sha256: 'a'.repeat(64),
      retryDelaysMs: [1000, 2000],
      stallTimeoutMs: 20000,
    };
    expect(parseParentMessage({ type: 'resolve', job })).toEqual({ type: 'resolve', job });
    expect(parseParentMessage({ type: 'download', maxBytes: 1e12 })).toEqual({ type: 'download', maxBytes: 1e12 });
    expect(parseParentMessage({ type: 'cancel', discard: true })).toEqual({ type: 'cancel', discard: true });
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
  ])('refuses the parent message %j', (message) => expect(parseParentMessage(message)).toBeUndefined());

  it('accepts the child messages and copies only known fields', () => {
    expect(
      parseChildMessage({
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
    expect(parseChildMessage({ type: 'progress', downloadedBytes: 5, totalBytes: 10 })).toEqual({
      type: 'progress',
      downloadedBytes: 5,
      totalBytes: 10,
    });
    expect(parseChildMessage({ type: 'done', entrypoint: '/d/x.gguf', files: [] })).toEqual({
      type: 'done',
      entrypoint: '/d/x.gguf',
      files: [],
    });
    expect(parseChildMessage({ type: 'error', code: 'CHECKSUM_MISMATCH', message: 'bad' })).toEqual({
      type: 'error',
      code: 'CHECKSUM_MISMATCH',
      message: 'bad',
    });
    expect(parseChildMessage({ type: 'verifying' })).toEqual({ type: 'verifying' });
    expect(parseChildMessage({ type: 'cancelled', keptBytes: 0 })).toEqual({ type: 'cancelled', keptBytes: 0 });
    const retrying = { type: 'retrying', attempt: 1, attempts: 5, secondsLeft: 3, reason: 'reset' };
    expect(parseChildMessage(retrying)).toEqual(retrying);
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
  ])('refuses the child message %j', (message) => expect(parseChildMessage(message)).toBeUndefined());
});
