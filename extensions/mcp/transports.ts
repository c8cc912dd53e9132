import * as path from 'node:path';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { cappedFetch } from './capped-fetch';
import type { McpServerConfig } from './config';
import { CappedStdioTransport } from './stdio-transport';

export interface TransportOptions {
  env: Record<string, string>;
  cwd?: string;
  maxMessageBytes: number;
  onGarbage(line: string): void;
  onDropped(bytes: number): void;
}

/** The transport for a server's config: a child process for stdio, Streamable HTTP or the older SSE protocol. */
export function createTransport(config: McpServerConfig, options: TransportOptions): Transport {
  if (config.transport === 'stdio') {
    return new CappedStdioTransport({
      command: config.command,
      args: config.args,
      env: options.env,
      // A relative `cwd` in a config is relative to where the server would otherwise run.
      cwd: config.cwd && options.cwd ? path.resolve(options.cwd, config.cwd) : options.cwd,
      maxMessageBytes: options.maxMessageBytes,
      onGarbage: options.onGarbage,
      onDropped: options.onDropped,
    });
  }
  const url = new URL(config.url as string);
  const transportOptions = { requestInit: { headers: config.headers }, fetch: cappedFetch(options.maxMessageBytes) };
  return config.transport === 'sse'
    ? new SSEClientTransport(url, transportOptions)
    : new StreamableHTTPClientTransport(url, transportOptions);
}
