/** The envelopes that travel between the engine (host) and its worker, with their checks. */
import type { EngineErrorCode } from '@jan/core';
import { literal, number, object, string, unknown, variants } from './schema';
import type { Infer } from './schema';

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
const errorCode = literal(...ERROR_CODES);

export const hostMessage = variants('type', {
  request: object({ id: number, method: string, args: unknown }),
  cancel: object({ id: number }),
});
export type HostMessage = Infer<typeof hostMessage>;

export const workerMessage = variants('type', {
  result: object({ id: number, value: unknown }),
  chunk: object({ id: number, value: unknown }),
  error: object({ id: number, error: object({ code: errorCode, message: string }) }),
  log: object({ level: literal('debug', 'info', 'warn', 'error'), message: string }),
});
export type WorkerMessage = Infer<typeof workerMessage>;
export type WireError = Extract<WorkerMessage, { type: 'error' }>['error'];
