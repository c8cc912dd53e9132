import { describe, expect, it } from 'vitest';
import { StoreError, isStoreError, toStoreError } from '@jan/core';

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: something happened`), { code });
}

const WHAT_TO_DO =
  'The chat history can still be read; to save changes, make /w and the files in it writable (their permissions, or the read-only attribute), or open a writable copy of the workspace.';

describe('toStoreError', () => {
  it.each([
    ['EACCES', 'READ_ONLY', `Cannot write in /w/.jan: it or its folder is read-only (EACCES). ${WHAT_TO_DO}`],
    ['EPERM', 'READ_ONLY', `Cannot write in /w/.jan: it or its folder is read-only (EPERM). ${WHAT_TO_DO}`],
    ['EROFS', 'READ_ONLY', `Cannot write in /w/.jan: it or its folder is read-only (EROFS). ${WHAT_TO_DO}`],
    ['ENOTDIR', 'NOT_A_FOLDER', 'Cannot write in /w/.jan: part of the path is a file, not a folder.'],
    ['ENOENT', 'NOT_FOUND', 'Cannot write in /w/.jan: it does not exist.'],
    ['EEXIST', 'ALREADY_EXISTS', 'Cannot write in /w/.jan: it already exists.'],
    ['ENOSPC', 'NO_SPACE', 'Cannot write in /w/.jan: the disk is full (ENOSPC).'],
    ['EDQUOT', 'NO_SPACE', 'Cannot write in /w/.jan: the disk is full (EDQUOT).'],
    ['EIO', 'IO', 'Cannot write in /w/.jan: EIO: something happened'],
  ])('%s becomes %s with a message a user can act on', (errno, code, message) => {
    const cause = systemError(errno);
    const error = toStoreError(cause, 'write in', '/w/.jan');
    expect(error).toBeInstanceOf(StoreError);
    expect({ code: error.code, message: error.message, path: error.path, name: error.name }).toEqual({
      code,
      message,
      path: '/w/.jan',
      name: 'StoreError',
    });
    expect(error.cause).toBe(cause);
  });

  it('keeps a StoreError as it is, and describes what is not an Error', () => {
    const original = new StoreError('LOCK_TIMEOUT', 'busy', '/w/.jan/threads/t.lock');
    expect(toStoreError(original, 'write in', '/elsewhere')).toBe(original);
    expect(toStoreError('disk on fire', 'read', '/w/a.json')).toMatchObject({
      code: 'IO',
      message: 'Cannot read /w/a.json: disk on fire',
    });
    expect(toStoreError(null, 'read', '/w/a.json')).toMatchObject({
      code: 'IO',
      message: 'Cannot read /w/a.json: null',
    });
    expect(toStoreError({ code: 42 }, 'read', '/w/a.json').code).toBe('IO');
  });
});

describe('isStoreError', () => {
  it('tells a StoreError, and its code when asked', () => {
    const error = new StoreError('READ_ONLY', 'read-only');
    expect(isStoreError(error)).toBe(true);
    expect(isStoreError(error, 'READ_ONLY')).toBe(true);
    expect(isStoreError(error, 'NOT_FOUND')).toBe(false);
    expect(isStoreError(systemError('EACCES'))).toBe(false);
    expect(isStoreError(undefined, 'READ_ONLY')).toBe(false);
  });
});
