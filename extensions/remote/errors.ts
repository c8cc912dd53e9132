import type { APIError } from 'openai';
import { EngineError, errorMessage, redactText } from '@jan/core';
import type { OpenAISdk } from './openai-sdk';
import { WireError } from './wire';

/** Which engine a failure came from, so its message says where to look. */
export interface FailureContext {
  engineName: string;
  host: string;
  model?: string;
  key: string | undefined;
  timeoutSeconds: number;
}

/** Node's error codes along an error's `cause` chain (undici wraps the socket's error in "fetch failed"). */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function causeMessages(error: unknown): string {
  const messages: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    if (current instanceof Error) messages.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return messages.join(': ');
}

const TLS_CODE =
  /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|EPROTO$|HOSTNAME_MISMATCH)/;

/** The server's own words from an error body, short. */
function serverSays(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : '';
  return text ? ` The server said: ${text.slice(0, 300)}` : '';
}

/**
 * Turns whatever the `openai` client or the network threw into an EngineError that says which
 * engine failed, what happened and what to do, with the API key removed from every word.
 */
export function toEngineError(error: unknown, context: FailureContext, sdk: OpenAISdk | undefined): EngineError {
  if (error instanceof EngineError) return new EngineError(error.code, redactText(error.message, [context.key]));
  const where = `${context.engineName} (${context.host})`;
  const make = (code: ConstructorParameters<typeof EngineError>[0], text: string) =>
    new EngineError(code, redactText(text, [context.key]));
  if (sdk && error instanceof sdk.APIUserAbortError) return make('ABORTED', 'The request was cancelled.');
  if (sdk && error instanceof sdk.APIConnectionTimeoutError) {
    return make(
      'REMOTE_ERROR',
      `${where} did not answer within ${context.timeoutSeconds} s. Check the server, or raise the engine's timeout with "Jan: Edit Remote Engine".`,
    );
  }
  if (sdk && error instanceof sdk.APIConnectionError) return connectionError(error, where, make);
  if (sdk && error instanceof sdk.APIError) {
    const status = error.status;
    if (status === 401 || status === 403) {
      return make(
        'REMOTE_ERROR',
        `${where} refused the API key (HTTP ${status}). Set a valid key with "Jan: Edit Remote Engine" → ${context.engineName}.${serverSays(error)}`,
      );
    }
    if (status === 404) {
      const model = context.model ? `the model "${context.model}"` : 'the requested path';
      return make(
        'MODEL_NOT_FOUND',
        `${where} does not have ${model} (HTTP 404). Refresh the model list and pick one it serves.${serverSays(error)}`,
      );
    }
    if (status === 429) {
      return make(
        'REMOTE_ERROR',
        `${where} is rate limiting requests (HTTP 429) and still was after the retries. Wait a moment and retry.${serverSays(error)}`,
      );
    }
    if (status !== undefined && status >= 500)
      return make('REMOTE_ERROR', `${where} failed with a server error (HTTP ${status}).${serverSays(error)}`);
    if (status !== undefined)
      return make('INVALID_REQUEST', `${where} rejected the request (HTTP ${status}).${serverSays(error)}`);
    return make('REMOTE_ERROR', `${where} reported an error during the reply: ${errorMessage(error).slice(0, 300)}`);
  }
  if (error instanceof WireError)
    return make('REMOTE_ERROR', `${where} sent an answer Jan cannot read (${error.message}).`);
  if (error instanceof SyntaxError)
    return make('REMOTE_ERROR', `${where} sent a malformed stream chunk (not JSON); the reply was cut there.`);
  const codes = causeCodes(error);
  if (
    codes.length > 0 ||
    (error instanceof TypeError && /terminated|fetch failed|other side closed/i.test(causeMessages(error)))
  ) {
    return connectionError(error, where, make);
  }
  return make('REMOTE_ERROR', `${where}: ${causeMessages(error) || errorMessage(error)}`);
}

function connectionError(
  error: unknown,
  where: string,
  make: (code: 'REMOTE_ERROR', text: string) => EngineError,
): EngineError {
  const codes = causeCodes(error);
  const has = (...wanted: string[]) => codes.some((code) => wanted.includes(code));
  if (has('ECONNREFUSED'))
    return make('REMOTE_ERROR', `${where} refused the connection. Is the server running and listening on that port?`);
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'))
    return make('REMOTE_ERROR', `${where}: the host name could not be resolved (DNS). Check the base URL.`);
  if (codes.some((code) => TLS_CODE.test(code))) {
    return make(
      'REMOTE_ERROR',
      `${where}: the TLS connection failed (${codes.find((code) => TLS_CODE.test(code))}). Check the server's certificate or the URL's scheme.`,
    );
  }
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE') || /terminated|other side closed/i.test(causeMessages(error))) {
    return make('REMOTE_ERROR', `${where} closed the connection before the reply finished.`);
  }
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT'))
    return make('REMOTE_ERROR', `${where} could not be reached (connection timed out).`);
  return make('REMOTE_ERROR', `${where} could not be reached: ${causeMessages(error)}`);
}
