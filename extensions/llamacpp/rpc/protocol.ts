/** The envelopes that travel between the engine (host) and its worker, with their checks. */
import type { EngineErrorCode } from '@jan/core';
import * as v from 'valibot';
import { finite, type Infer } from './schema';

const ERROR_CODES = [
  'NO_MODEL',
  'MODEL_NOT_FOUND',
  'INVALID_MODEL_FILE',
  'INSUFFICIENT_MEMORY',
  'WORKER_CRASHED',
  'ABORTED',
  'CONTEXT_TOO_LONG',
  'INVALID_REQUEST',
  'REMOTE_ERROR',
  'UNKNOWN',
] as const satisfies readonly EngineErrorCode[];
// Stops compiling when the core gains an error code that this list does not carry.
const everyCodeListed: Exclude<EngineErrorCode, (typeof ERROR_CODES)[number]> extends never ? true : never = true;
void everyCodeListed;
const errorCode = v.picklist(ERROR_CODES);

export const hostMessage = v.variant('type', [
  v.object({ type: v.literal('request'), id: finite, method: v.string(), args: v.unknown() }),
  v.object({ type: v.literal('cancel'), id: finite }),
]);
export type HostMessage = Infer<typeof hostMessage>;

export const workerMessage = v.variant('type', [
  v.object({ type: v.literal('result'), id: finite, value: v.unknown() }),
  v.object({ type: v.literal('chunk'), id: finite, value: v.unknown() }),
  v.object({ type: v.literal('error'), id: finite, error: v.object({ code: errorCode, message: v.string() }) }),
  v.object({ type: v.literal('log'), level: v.picklist(['debug', 'info', 'warn', 'error']), message: v.string() }),
]);
export type WorkerMessage = Infer<typeof workerMessage>;
export type WireError = Extract<WorkerMessage, { type: 'error' }>['error'];
