import * as path from 'node:path';

/** Why a store operation failed, so callers (and the UI) can tell "read-only" from "corrupt". */
export type StoreErrorCode =
  | 'READ_ONLY'
  | 'NOT_A_FOLDER'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_FILE'
  | 'INVALID_ID'
  | 'LOCK_TIMEOUT'
  | 'NOT_ALLOWED'
  | 'NO_SPACE'
  | 'IO';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The one message for data that cannot be written: where, why, and what to do about it. Reading
 * goes on working, so it says so.
 */
export function readOnlyError(action: string, target: string, code: string, cause?: unknown): StoreError {
  return new StoreError(
    'READ_ONLY',
    `Cannot ${action} ${target}: it or its folder is read-only (${code}). The chat history can still be read; to save changes, make ${path.dirname(target)} and the files in it writable (their permissions, or the read-only attribute), or open a writable copy of the workspace.`,
    target,
    { cause },
  );
}

/**
 * Turns a Node fs error into a StoreError that says what could not be done and why, in words a
 * user can act on ("read-only", "is a file") rather than a bare errno.
 */
export function toStoreError(error: unknown, action: string, target: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = systemCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return readOnlyError(action, target, code, error);
    case 'ELOOP':
      return new StoreError(
        'NOT_ALLOWED',
        `Cannot ${action} ${target}: it became a symbolic link; Jan does not write through links.`,
        target,
        {
          cause: error,
        },
      );
    case 'ENOTDIR':
      return new StoreError(
        'NOT_A_FOLDER',
        `Cannot ${action} ${target}: part of the path is a file, not a folder.`,
        target,
        { cause: error },
      );
    case 'ENOENT':
      return new StoreError('NOT_FOUND', `Cannot ${action} ${target}: it does not exist.`, target, { cause: error });
    case 'EEXIST':
      return new StoreError('ALREADY_EXISTS', `Cannot ${action} ${target}: it already exists.`, target, {
        cause: error,
      });
    case 'ENOSPC':
    case 'EDQUOT':
      return new StoreError('NO_SPACE', `Cannot ${action} ${target}: the disk is full (${code}).`, target, {
        cause: error,
      });
    default:
      return new StoreError('IO', `Cannot ${action} ${target}: ${detail}`, target, { cause: error });
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
