/**
 * One MCP server: started with its transport, initialized and asked for its tools through the
 * SDK's Client, and watched. A server that exits, stops answering, floods stdout with what is
 * not MCP, or sends an answer too big to take is reported (state `failed` with the reason and
 * the end of its stderr) and started again on demand: the next call of one of its tools, or the
 * user's restart.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JsonSchema, Logger } from '@jan/core';
import { redactText } from '@jan/core';
import type { McpServerConfig } from './config';
import { failureText, STALE_SOCKET } from './failure-text';
import { createTransport } from './transports';
import { CappedStdioTransport } from './stdio-transport';

export type McpServerState = 'stopped' | 'starting' | 'ready' | 'failed';

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  /** The server's `readOnlyHint`: a hint, trusted only when the user says so. */
  readOnly: boolean;
}

export interface ConnectionOptions {
  clientVersion: string;
  startTimeoutMs: number;
  callTimeoutMs: () => number;
  maxMessageBytes: number;
  /** Where a workspace server runs when its config names no `cwd`. */
  workspaceRoot?: string;
  logger: Logger;
  /** The state, the error or the tools changed. */
  onChange(): void;
}

export class McpCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpCallError';
  }
}

/** Lines that are not MCP on stdout before a server counts as broken (a banner or a few logs are fine). */
const GARBAGE_LINES = 100;
const GARBAGE_BYTES = 1024 * 1024;
const MAX_TOOLS = 500;
/** A schema bigger than this is not offered (it would not fit a small model's context anyway). */
const MAX_SCHEMA_CHARS = 16 * 1024;
const MAX_DESCRIPTION_CHARS = 600;
const PING_TIMEOUT_MS = 5000;

export class McpServerConnection {
  state: McpServerState = 'stopped';
  error: string | undefined;
  tools: McpToolInfo[] = [];
  /** Problems with single tools (a bad schema), for the servers view. */
  toolProblems: string[] = [];
  private client: Client | undefined;
  private transport: Transport | undefined;
  private starting: Promise<void> | undefined;
  private garbage = { lines: 0, bytes: 0, first: '' };
  /** Why a server being started was ended (garbage, no ping): reported instead of "connection closed". */
  private failure: string | undefined;

  constructor(
    readonly config: McpServerConfig,
    private readonly options: ConnectionOptions,
  ) {}

  get label(): string {
    return `MCP server "${this.config.name}"`;
  }

  /** Starts the server unless it is starting or running; never throws (a failure is the state). */
  start(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    this.starting ??= this.connect().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.starting;
    const client = this.client;
    this.client = undefined;
    this.transport = undefined;
    await client?.close().catch(() => undefined);
    this.setState('stopped', undefined);
  }

  /** Error text as it may be shown or logged: URLs without queries, the server's env and header values hidden. */
  private redact(text: string): string {
    return redactText(text, [...Object.values(this.config.env), ...Object.values(this.config.headers)]);
  }

  private setState(state: McpServerState, error: string | undefined): void {
    this.state = state;
    this.error = error === undefined ? undefined : this.redact(error);
    this.options.onChange();
  }

  private async connect(): Promise<void> {
    this.setState('starting', undefined);
    let reason = await this.attempt();
    // A remote server that restarted leaves a dead pooled socket behind: the first request on it fails.
    if (reason !== undefined && this.config.transport !== 'stdio' && STALE_SOCKET.test(reason))
      reason = await this.attempt();
    if (reason === undefined) {
      this.setState('ready', undefined);
      this.options.logger.info(`${this.label} started with ${this.tools.length} tools.`);
    } else {
      this.setState('failed', reason);
      this.options.logger.error(this.error ?? reason);
    }
  }

  /** One start: transport, initialize, tool list. Returns why it failed, or undefined. */
  private async attempt(): Promise<string | undefined> {
    this.garbage = { lines: 0, bytes: 0, first: '' };
    this.failure = undefined;
    const transport = createTransport(this.config, {
      env: { ...getDefaultEnvironment(), ...this.config.env },
      cwd: this.options.workspaceRoot,
      maxMessageBytes: this.options.maxMessageBytes,
      onGarbage: (line) => this.onGarbage(line),
      onDropped: (bytes) =>
        this.options.logger.warn(`${this.label} sent a ${bytes} byte message with no request id; dropped.`),
    });
    const client = new Client(
      { name: 'jan-vscode', version: this.options.clientVersion },
      {
        capabilities: {},
        listChanged: { tools: { onChanged: (error, tools) => this.toolsChanged(error, tools) } },
      },
    );
    client.onclose = () => this.closed(client);
    client.onerror = (error) => this.options.logger.debug(`${this.label}: ${error.message}`);
    this.client = client;
    this.transport = transport;
    try {
      await client.connect(transport, { timeout: this.options.startTimeoutMs });
      this.tools = await this.listTools(client);
      return undefined;
    } catch (error) {
      const reason = this.failure ?? this.describe(error, 'could not start', transport);
      this.client = undefined;
      this.transport = undefined;
      await client.close().catch(() => undefined);
      return reason;
    }
  }

  private async listTools(client: Client): Promise<McpToolInfo[]> {
    const tools: McpToolInfo[] = [];
    this.toolProblems = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: this.options.startTimeoutMs });
      for (const tool of page.tools) {
        const info = this.toolInfo(tool);
        if (typeof info === 'string') this.toolProblems.push(info);
        else if (tools.length < MAX_TOOLS) tools.push(info);
      }
      cursor = page.nextCursor;
    } while (cursor && tools.length < MAX_TOOLS);
    return tools;
  }

  private toolInfo(tool: {
    name: string;
    description?: string;
    inputSchema: unknown;
    annotations?: { readOnlyHint?: boolean };
  }): McpToolInfo | string {
    const schema = tool.inputSchema as JsonSchema;
    const size = JSON.stringify(schema ?? {}).length;
    if (size > MAX_SCHEMA_CHARS) return `${tool.name}: its input schema is ${size} characters; not offered`;
    return {
      name: tool.name,
      description: (tool.description ?? '').slice(0, MAX_DESCRIPTION_CHARS),
      inputSchema: { ...schema, type: 'object' },
      readOnly: tool.annotations?.readOnlyHint === true,
    };
  }

  private toolsChanged(error: Error | null, tools: Parameters<McpServerConnection['toolInfo']>[0][] | null): void {
    if (error || !tools) {
      this.options.logger.warn(
        `${this.label}: its changed tool list could not be read (${error?.message ?? 'empty'}).`,
      );
      return;
    }
    this.toolProblems = [];
    this.tools = tools.flatMap((tool) => {
      const info = this.toolInfo(tool);
      if (typeof info === 'string') this.toolProblems.push(info);
      return typeof info === 'string' ? [] : [info];
    });
    this.options.onChange();
  }

  private onGarbage(line: string): void {
    this.garbage.lines += 1;
    this.garbage.bytes += line.length;
    if (this.garbage.lines === 1) this.garbage.first = line.slice(0, 200);
    if (this.garbage.lines <= 3)
      this.options.logger.warn(
        this.redact(`${this.label} printed a line that is not an MCP message: ${line.slice(0, 200)}`),
      );
    if (
      this.garbage.lines === GARBAGE_LINES + 1 ||
      (this.garbage.bytes > GARBAGE_BYTES && this.garbage.bytes - line.length <= GARBAGE_BYTES)
    )
      void this.fail(`prints output that is not MCP on stdout (first: ${JSON.stringify(this.garbage.first)})`);
  }

  /** Ends a server as broken (one starting fails with this reason); the next call starts it again. */
  private async fail(reason: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const message = `${this.label} ${reason}`;
    if (this.state === 'starting') {
      this.failure ??= message;
      await client.close().catch(() => undefined);
      return;
    }
    this.client = undefined;
    this.transport = undefined;
    this.setState('failed', message);
    this.options.logger.error(this.error ?? message);
    await client.close().catch(() => undefined);
  }

  /** The connection closed by itself: a running server died (one starting is reported by connect). */
  private closed(client: Client): void {
    if (this.client !== client || this.state !== 'ready') return;
    this.client = undefined;
    const reason = this.describe(undefined, 'stopped', this.transport);
    this.transport = undefined;
    this.setState('failed', reason);
    this.options.logger.error(this.error ?? reason);
  }

  /** What went wrong, with how the process ended and the end of its stderr when there is one. */
  private describe(error: unknown, what: string, transport: Transport | undefined): string {
    const parts = [`${this.label} ${what}`];
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
      parts.push(`: it did not answer within ${Math.round(this.options.startTimeoutMs / 1000)} s`);
    else if (error) parts.push(`: ${failureText(error)}`);
    if (transport instanceof CappedStdioTransport) {
      if (transport.exit) parts.push(` (exit code ${transport.exit.code ?? transport.exit.signal})`);
      if (this.garbage.lines > 0) parts.push(`; it printed non-MCP output: ${JSON.stringify(this.garbage.first)}`);
      const stderr = transport.stderr.trim().split('\n').slice(-5).join('\n');
      if (stderr) parts.push(`\nstderr:\n${stderr}`);
    }
    return parts.join('');
  }

  /** Calls a tool, starting the server first when it is not running. Errors are McpCallError. */
  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>> {
    if (this.state !== 'ready') await this.start();
    const client = this.client;
    if (this.state !== 'ready' || !client) throw new McpCallError(this.error ?? `${this.label} is not running.`);
    const timeout = this.options.callTimeoutMs();
    try {
      return await client.callTool({ name, arguments: args }, undefined, { signal, timeout });
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        await this.checkAlive(client);
        throw new McpCallError(`${name} on ${this.label} did not answer within ${Math.round(timeout / 1000)} s.`);
      }
      if (error instanceof McpError)
        throw new McpCallError(this.redact(`${name} on ${this.label} failed: ${error.message}`));
      // The transport broke (an HTTP server gone, a pipe closed): the next call starts it again.
      await this.fail(`could not be reached: ${failureText(error)}`);
      throw new McpCallError(this.error ?? this.redact(`${this.label} could not be reached: ${failureText(error)}`));
    }
  }

  /** After a timeout: a server that does not answer a ping either is hung, and is restarted on the next call. */
  private async checkAlive(client: Client): Promise<void> {
    try {
      await client.ping({ timeout: PING_TIMEOUT_MS });
    } catch {
      if (this.client === client)
        await this.fail(`stopped answering (not even a ping within ${PING_TIMEOUT_MS / 1000} s)`);
    }
  }
}
