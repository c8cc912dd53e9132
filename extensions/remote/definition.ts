import * as v from 'valibot';
import { FIM_MODES, REMOTE_PRESETS, presetById, type FimMode, type PresetId } from './presets';

/** The llama.cpp engine's id, which a remote engine cannot take. */
const RESERVED_IDS = ['llamacpp'];

/**
 * A remote engine as the user defined it (VS Code keeps these in the `jan.remote.engines` setting).
 * The API key is not here: it lives in VS Code SecretStorage and reaches the engine through a getter.
 */
export interface RemoteEngineDefinition {
  /** Engine id in thread.json `model.engine` and the prefix of its model ids (`<id>/<model>`). */
  id: string;
  name: string;
  preset: PresetId;
  /** Up to and including the API version, e.g. `http://gpu-box:8000/v1`. */
  baseUrl: string;
  fim: FimMode;
  /** How long a reply may go without output: before its first token (retries included) and between tokens. */
  timeoutSeconds: number;
  /** Retries of a request that failed before any byte of the reply came (429, 5xx, connection). */
  maxRetries: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_RETRIES = 2;

function urlOf(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

// Each check passes what an earlier one refused: only the first problem is reported.
const HttpUrl = v.pipe(
  v.string(),
  v.trim(),
  v.check((value) => urlOf(value) !== undefined, 'is not a URL'),
  v.check((value) => !urlOf(value) || /^https?:$/.test(urlOf(value)!.protocol), 'must start with http:// or https://'),
  v.check(
    (value) => !urlOf(value)?.username && !urlOf(value)?.password,
    'must not carry a user name or password (the API key is asked separately)',
  ),
  v.transform((value) => value.replace(/\/+$/, '')),
);

const DefinitionSchema = v.object({
  id: v.pipe(
    v.string(),
    v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lowercase letters, digits or dashes'),
    v.check((value) => !RESERVED_IDS.includes(value), 'is reserved for the local engine'),
  ),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'is empty'), v.maxLength(80, 'is longer than 80 characters')),
  preset: v.picklist(
    REMOTE_PRESETS.map((preset) => preset.id),
    'is not a known preset',
  ),
  baseUrl: HttpUrl,
  fim: v.optional(v.picklist(FIM_MODES, 'is not a known fill-in-the-middle mode')),
  timeoutSeconds: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(3600)), DEFAULT_TIMEOUT_SECONDS),
  maxRetries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)), DEFAULT_MAX_RETRIES),
});

export type DefinitionResult = { ok: true; definition: RemoteEngineDefinition } | { ok: false; error: string };

/** Checks one definition from settings (people edit them by hand); the preset's FIM mode fills a missing one. */
export function parseDefinition(value: unknown): DefinitionResult {
  const result = v.safeParse(DefinitionSchema, value);
  if (!result.success) {
    const issue = result.issues[0];
    const field = issue.path?.map((item) => String(item.key)).join('.') || 'the definition';
    return { ok: false, error: `${field} ${issue.message}` };
  }
  const { fim, ...rest } = result.output;
  return { ok: true, definition: { ...rest, fim: fim ?? presetById(rest.preset)!.fim } };
}

/** True for a server on this machine: code sent there does not leave it. */
export function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** "local" for a loopback server, else its host: what the status bar and the chat header show. */
export function whereCodeGoes(baseUrl: string): string {
  return isLoopback(baseUrl) ? 'local' : new URL(baseUrl).host;
}
