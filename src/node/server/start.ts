import type { AddressInfo } from 'node:net';
import type { InferenceService, Logger } from '@jan/core';
import { buildApiApp } from './app';
import { generateApiKey } from './auth';
import { nextFreePort, PortInUseError } from './free-port';
import type { ServerOptions } from './options';

export interface RunningApiServer {
  /** The base URL clients use, with the prefix: `http://127.0.0.1:1337/v1`. */
  baseUrl: string;
  host: string;
  port: number;
  apiKey: string;
  /** Requests running or waiting for a model. */
  inFlight(): number;
  /** Calls `listener` when the number of requests in flight changes; returns the unsubscribe. */
  onInFlightChange(listener: () => void): () => void;
  close(): Promise<void>;
}

/** What the server needs of a runtime: `JanRuntime` has it (`src/node/runtime.ts`). */
export interface ServedRuntime {
  inference: InferenceService;
  core: { context: { logger: Logger } };
}

/**
 * Starts the OpenAI-compatible API server for a runtime and returns its address and key. With no
 * `apiKey` a new one is generated; `port: 0` takes any free port (tests). A taken port is a
 * PortInUseError that names the next free one, never a silent move to another port.
 */
export async function startApiServer(
  runtime: ServedRuntime,
  options: Partial<ServerOptions> = {},
): Promise<RunningApiServer> {
  const apiKey = options.apiKey || generateApiKey();
  const logger = runtime.core.context.logger;
  const {
    app,
    queue,
    options: resolved,
  } = await buildApiApp({ inference: runtime.inference, logger }, { ...options, apiKey });
  try {
    await app.listen({ host: resolved.host, port: resolved.port, exclusive: true });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(resolved.host, resolved.port, await nextFreePort(resolved.host, resolved.port));
    }
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${urlHost}:${address.port}${resolved.prefix}`;
  logger.info(`API server listening on ${baseUrl}`);
  return {
    baseUrl,
    host: address.address,
    port: address.port,
    apiKey,
    inFlight: () => queue.inFlight,
    onInFlightChange: (listener) => queue.onChange(listener),
    close: async () => {
      await app.close();
      logger.info(`API server on ${baseUrl} stopped`);
    },
  };
}
