/**
 * Messages between the models extension (parent) and the short-lived download child process
 * (main.ts). Both sides validate what they receive, with valibot: a message is untrusted input
 * even from our own child, and a malformed one must fail clearly instead of half-working.
 */
import * as v from 'valibot';

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const fileList = v.array(v.string());

const DownloadJobSchema = v.object({
  /** `https://…`, `http://127.0.0.1…` or an `hf:` URI (already checked by the parent). */
  uri: v.string(),
  /** Folder the file is downloaded into; a partial download there is resumed. */
  dirPath: v.string(),
  /** File name to save as; when absent, node-llama-cpp derives it from the URI. */
  fileName: v.optional(v.string()),
  /** Expected sha256 (hex) of the downloaded file; checked after the download. */
  sha256: v.optional(v.string()),
  /** Hugging Face endpoint for `hf:` URIs (a mirror, or a local test server). */
  huggingFaceEndpoint: v.optional(v.string()),
  /** Waits before each retry of a transient failure mid-transfer (guarded-fetch.ts). */
  retryDelaysMs: v.array(count),
  /** No answer, or no body bytes, for this long is a failure (guarded-fetch.ts). */
  stallTimeoutMs: count,
});
export type DownloadJob = v.InferOutput<typeof DownloadJobSchema>;

const ParentMessageSchema = v.variant('type', [
  v.object({ type: v.literal('resolve'), job: DownloadJobSchema }),
  /** The go-ahead, with the free space measured before starting: the most the download may write. */
  v.object({ type: v.literal('download'), maxBytes: count }),
  v.object({ type: v.literal('cancel'), discard: v.boolean() }),
]);
export type ParentMessage = v.InferOutput<typeof ParentMessageSchema>;

const FailureCodeSchema = v.picklist([
  'DOWNLOAD_FAILED',
  'CHECKSUM_MISMATCH',
  'INVALID_SOURCE',
  'INSUFFICIENT_DISK_SPACE',
  /** The server sent more than it declared: not the file it described (the partial file is removed). */
  'INVALID_MODEL_FILE',
  'PROTOCOL',
]);
export type DownloadFailureCode = v.InferOutput<typeof FailureCodeSchema>;

const ChildMessageSchema = v.variant('type', [
  v.object({
    type: v.literal('resolved'),
    /** The file to load (the first part for split models). */
    entrypoint: v.string(),
    /** Every file the download writes, entrypoint included. */
    files: fileList,
    totalBytes: count,
    /** Bytes already on disk from an earlier, interrupted download. */
    downloadedBytes: count,
  }),
  v.object({ type: v.literal('progress'), downloadedBytes: count, totalBytes: count }),
  v.object({ type: v.literal('verifying') }),
  /** A transient failure mid-transfer; sent once a second while waiting to retry. */
  v.object({ type: v.literal('retrying'), attempt: count, attempts: count, secondsLeft: count, reason: v.string() }),
  v.object({ type: v.literal('done'), entrypoint: v.string(), files: fileList }),
  /** `keptBytes`: what the partial file holds for a resume (0 when nothing arrived or it was discarded). */
  v.object({ type: v.literal('cancelled'), keptBytes: count }),
  v.object({ type: v.literal('error'), code: FailureCodeSchema, message: v.string() }),
]);
export type ChildMessage = v.InferOutput<typeof ChildMessageSchema>;

/** The message, or undefined when it is not a valid parent message. */
export function parseParentMessage(value: unknown): ParentMessage | undefined {
  const result = v.safeParse(ParentMessageSchema, value);
  return result.success ? result.output : undefined;
}

/** The message, or undefined when it is not a valid child message. */
export function parseChildMessage(value: unknown): ChildMessage | undefined {
  const result = v.safeParse(ChildMessageSchema, value);
  return result.success ? result.output : undefined;
}
