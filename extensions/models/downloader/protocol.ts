/**
 * Messages between the models extension (parent) and the short-lived download child process
 * (main.ts). Both sides validate what they receive: a message is untrusted input even
 * from our own child, and a malformed one must fail clearly instead of half-working.
 */

export interface DownloadJob {
  /** `https://…`, `http://127.0.0.1…` or an `hf:` URI (already checked by the parent). */
  uri: string;
  /** Folder the file is downloaded into; a partial download there is resumed. */
  dirPath: string;
  /** File name to save as; when absent, node-llama-cpp derives it from the URI. */
  fileName?: string;
  /** Expected sha256 (hex) of the downloaded file; checked after the download. */
  sha256?: string;
  /** Hugging Face endpoint for `hf:` URIs (a mirror, or a local test server). */
  huggingFaceEndpoint?: string;
}

export type ParentMessage = { type: 'resolve'; job: DownloadJob } | { type: 'download' } | { type: 'cancel'; discard: boolean };

export type DownloadFailureCode = 'DOWNLOAD_FAILED' | 'CHECKSUM_MISMATCH' | 'PROTOCOL';

export type ChildMessage =
  | {
      type: 'resolved';
      /** The file to load (the first part for split models). */
      entrypoint: string;
      /** Every file the download writes, entrypoint included. */
      files: string[];
      totalBytes: number;
      /** Bytes already on disk from an earlier, interrupted download. */
      downloadedBytes: number;
    }
  | { type: 'progress'; downloadedBytes: number; totalBytes: number }
  | { type: 'verifying' }
  | { type: 'done'; entrypoint: string; files: string[] }
  | { type: 'cancelled' }
  | { type: 'error'; code: DownloadFailureCode; message: string };

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isJob(value: unknown): value is DownloadJob {
  return (
    isRecord(value) &&
    typeof value.uri === 'string' &&
    typeof value.dirPath === 'string' &&
    isOptionalString(value.fileName) &&
    isOptionalString(value.sha256) &&
    isOptionalString(value.huggingFaceEndpoint)
  );
}

/** The message, or undefined when it is not a valid parent message. */
export function parseParentMessage(value: unknown): ParentMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'resolve':
      return isJob(value.job) ? { type: 'resolve', job: value.job } : undefined;
    case 'download':
      return { type: 'download' };
    case 'cancel':
      return typeof value.discard === 'boolean' ? { type: 'cancel', discard: value.discard } : undefined;
    default:
      return undefined;
  }
}

const failureCodes: readonly DownloadFailureCode[] = ['DOWNLOAD_FAILED', 'CHECKSUM_MISMATCH', 'PROTOCOL'];

/** The message, or undefined when it is not a valid child message. */
export function parseChildMessage(value: unknown): ChildMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'resolved':
      return typeof value.entrypoint === 'string' && isStringList(value.files) && isCount(value.totalBytes) && isCount(value.downloadedBytes)
        ? {
            type: 'resolved',
            entrypoint: value.entrypoint,
            files: value.files,
            totalBytes: value.totalBytes,
            downloadedBytes: value.downloadedBytes,
          }
        : undefined;
    case 'progress':
      return isCount(value.downloadedBytes) && isCount(value.totalBytes)
        ? { type: 'progress', downloadedBytes: value.downloadedBytes, totalBytes: value.totalBytes }
        : undefined;
    case 'verifying':
      return { type: 'verifying' };
    case 'done':
      return typeof value.entrypoint === 'string' && isStringList(value.files) ? { type: 'done', entrypoint: value.entrypoint, files: value.files } : undefined;
    case 'cancelled':
      return { type: 'cancelled' };
    case 'error':
      return failureCodes.includes(value.code as DownloadFailureCode) && typeof value.message === 'string'
        ? { type: 'error', code: value.code as DownloadFailureCode, message: value.message }
        : undefined;
    default:
      return undefined;
  }
}
