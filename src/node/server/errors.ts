import { EngineError, errorMessage, redactText } from '@jan/core';
import type { EngineErrorCode } from '@jan/core';

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** An error the server answers with its own HTTP status, in OpenAI's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The body a client gets: its message passes the one redaction (src/core/redact.ts). */
  body(): ApiErrorBody {
    return { error: { message: redactText(this.message), type: this.type, param: this.param, code: this.code } };
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): ApiError {
  return new ApiError(400, message, 'invalid_request_error', code, param);
}

const ENGINE_STATUS: Record<EngineErrorCode, { status: number; type: string }> = {
  NO_MODEL: { status: 400, type: 'invalid_request_error' },
  MODEL_NOT_FOUND: { status: 404, type: 'invalid_request_error' },
  CONTEXT_TOO_LONG: { status: 400, type: 'invalid_request_error' },
  INVALID_REQUEST: { status: 400, type: 'invalid_request_error' },
  INVALID_MODEL_FILE: { status: 500, type: 'server_error' },
  INSUFFICIENT_MEMORY: { status: 500, type: 'server_error' },
  WORKER_CRASHED: { status: 500, type: 'server_error' },
  // The client is gone when its request is aborted; the status is for the log.
  ABORTED: { status: 499, type: 'server_error' },
  REMOTE_ERROR: { status: 502, type: 'server_error' },
  UNKNOWN: { status: 500, type: 'server_error' },
};

/** Any failure as an ApiError: engine errors keep their code, anything else is a 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof EngineError) {
    const { status, type } = ENGINE_STATUS[error.code];
    const code =
      error.code === 'MODEL_NOT_FOUND'
        ? 'model_not_found'
        : error.code === 'CONTEXT_TOO_LONG'
          ? 'context_length_exceeded'
          : error.code.toLowerCase();
    return new ApiError(status, error.message, type, code);
  }
  return new ApiError(500, `The server failed: ${errorMessage(error)}`, 'server_error');
}
