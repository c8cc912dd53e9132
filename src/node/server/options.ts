/** How the API server listens and what it lets in (docs/ARCHITECTURE.md, "API server"). */
export interface ServerOptions {
  /** Address to bind. Default 127.0.0.1: nothing outside this machine can connect. */
  host?: string;
  /** Default 1337, Jan desktop's port, so tools set up for Jan work unchanged; 0: any free port. */
  port?: number;
  /** Path prefix of the OpenAI routes. Default `/v1`. */
  prefix?: string;
  /** The key every request but `/health` must send as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** Host names accepted besides the loopback ones (a DNS-rebinding defence, also when bound elsewhere). */
  allowedHosts?: string[];
  /** Origins allowed to call from a browser; none by default (CORS off). */
  corsOrigins?: string[];
  /** Largest request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Requests one model runs at a time. Default 1: the engine serializes a model's requests anyway. */
  concurrencyPerModel?: number;
  /** Requests that may wait for a model; one more gets 429 with Retry-After. Default 16. */
  queuePerModel?: number;
  /** Log the prompt text of requests (off by default: prompts are the user's code). */
  logPrompts?: boolean;
  /**
   * The model of a llama-server request that names none (`/infill`, `/tokenize`, …; `serve --model`).
   * Unset: the user's model for the purpose, else the only loaded one, else the only installed one.
   */
  defaultModel?: string;
}

export type ResolvedServerOptions = Required<Omit<ServerOptions, 'defaultModel'>> & Pick<ServerOptions, 'defaultModel'>;

export const DEFAULT_PORT = 1337;
export const DEFAULT_HOST = '127.0.0.1';

export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  if (!options.apiKey) throw new Error('The API server needs an API key.');
  return {
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? DEFAULT_PORT,
    prefix: normalizePrefix(options.prefix ?? '/v1'),
    apiKey: options.apiKey,
    allowedHosts: (options.allowedHosts ?? []).map((host) => host.trim().toLowerCase()).filter(Boolean),
    corsOrigins: (options.corsOrigins ?? []).map((origin) => origin.trim()).filter(Boolean),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    concurrencyPerModel: Math.max(1, options.concurrencyPerModel ?? 1),
    queuePerModel: Math.max(0, options.queuePerModel ?? 16),
    logPrompts: options.logPrompts ?? false,
    defaultModel: options.defaultModel?.trim() || undefined,
  };
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
