import { redactText } from '@jan/core';

/** What went wrong, as a code the UI can act on; the message is written for the user. */
export type ModelErrorCode =
  | 'INVALID_MODEL_FILE'
  | 'INVALID_SOURCE'
  | 'INVALID_ID'
  | 'NOT_FOUND'
  | 'ALREADY_INSTALLED'
  | 'BUSY'
  | 'INSUFFICIENT_DISK_SPACE'
  | 'CHECKSUM_MISMATCH'
  | 'DOWNLOAD_FAILED'
  | 'CANCELLED';

/** Its message is redacted (src/core/redact.ts): a refusal or failure never shows a URL's credentials or query. */
export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(redactText(message));
    this.name = 'ModelError';
  }
}

export function isCancellation(error: unknown): boolean {
  return error instanceof ModelError && error.code === 'CANCELLED';
}

/** A cancelled download, with what its partial file keeps for a resume (undefined: the child stopped without saying). */
export class DownloadCancelled extends ModelError {
  constructor(readonly keptBytes: number | undefined) {
    super('CANCELLED', 'The download was cancelled.');
  }
}
