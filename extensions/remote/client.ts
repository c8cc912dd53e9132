import type OpenAI from 'openai';
import { SELF_REQUEST_HEADER, SELF_REQUEST_ID } from '@jan/core';
import type { RemoteEngineDefinition } from './definition';
import type { OpenAISdk } from './openai-sdk';

/** Sent when the engine has no key: local servers ignore it, hosted ones answer 401 (a clear message). */
const NO_KEY = 'no-key';

/**
 * The official `openai` client for one engine and key. It retries a request that failed before
 * any byte of the reply came (connection errors, 408/409/429/5xx, honouring Retry-After), never a
 * reply already streaming; each attempt is bounded by the engine's timeout. Its own logging is
 * off: the engine reports failures itself, with the key removed.
 */
export function createClient(sdk: OpenAISdk, definition: RemoteEngineDefinition, key: string | undefined): OpenAI {
  return new sdk.OpenAI({
    apiKey: key || NO_KEY,
    baseURL: definition.baseUrl,
    maxRetries: definition.maxRetries,
    timeout: definition.timeoutSeconds * 1000,
    logLevel: 'off',
    // Jan's own API server lists only this machine's models for us, never through this engine again.
    defaultHeaders: { [SELF_REQUEST_HEADER]: SELF_REQUEST_ID },
  });
}

/** The server's root for llama.cpp's own endpoints (`/infill`): the base URL without its `/v1`. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/v1$/, '');
}
