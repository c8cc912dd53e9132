import { errorMessage } from '@jan/core';

/** A start that failed on a dead pooled socket (a remote server restarted): worth one more try. */
export const STALE_SOCKET = /UND_ERR_SOCKET|ECONNRESET|EPIPE/;

/**
 * An error with what the SDK and fetch leave out of its message: the HTTP status of a refused
 * request, and the cause of a failed fetch (ECONNREFUSED, a reset).
 */
export function failureText(error: unknown): string {
  const status = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const extra = [
    typeof status === 'number' && status >= 100 && status < 600 ? `HTTP ${status}` : undefined,
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined,
  ].filter(Boolean);
  return `${errorMessage(error)}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}
