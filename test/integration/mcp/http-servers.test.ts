import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { JanCore, MemoryLogger, type ToolResult } from '@jan/core';
import { McpExtension } from '../../../extensions/mcp';
import { createTestServer } from '../../fixtures/mcp/test-server.mjs';

const KEY = 'sk-test-0123456789';

/** The test MCP server over Streamable HTTP on 127.0.0.1, one SDK transport per session, behind a bearer key. */
class HttpMcpServer {
  private http: HttpServer | undefined;
  private sessions = new Map<string, StreamableHTTPServerTransport>();
  port = 0;

  constructor(private readonly jsonResponses = false) {}

  async listen(port = 0): Promise<void> {
    this.http = createServer((request, response) => {
      if (request.headers.authorization !== `Bearer ${KEY}`) {
        response.writeHead(401, { 'content-type': 'text/plain' }).end('missing or wrong key');
        return;
      }
      const id = request.headers['mcp-session-id'];
      const existing = typeof id === 'string' ? this.sessions.get(id) : undefined;
      if (existing) {
        void existing.handleRequest(request, response);
        return;
      }
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: this.jsonResponses,
        onsessioninitialized: (session) => void this.sessions.set(session, transport),
      });
      void createTestServer()
        .connect(transport)
        .then(() => transport.handleRequest(request, response));
    });
    await new Promise<void>((resolve) => this.http?.listen(port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  /** Goes away: every session and connection ends. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((transport) => transport.close()));
    this.sessions.clear();
    this.http?.closeAllConnections();
    await new Promise<void>((resolve) => this.http?.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }
}

let sandbox: string;
let core: JanCore;
let extension: McpExtension;
let servers: HttpMcpServer[] = [];

async function start(entries: Record<string, Record<string, unknown>>): Promise<void> {
  const config = path.join(sandbox, 'mcp_config.json');
  writeFileSync(config, JSON.stringify({ mcpServers: entries }));
  core = new JanCore({ janFolder: path.join(sandbox, '.jan'), modelsFolder: sandbox, logger: new MemoryLogger() });
  extension = new McpExtension(core.context, { userConfigPath: config });
  core.register(extension);
  await core.start();
  await extension.ready;
}

/** Jan desktop's shape for a remote server: `type`, `url`, `headers`, and an empty command. */
const remote = (server: HttpMcpServer, headers: Record<string, string> = { Authorization: `Bearer ${KEY}` }) => ({
  type: 'http',
  url: server.url,
  headers,
  command: '',
  args: [],
  env: {},
  active: true,
});

async function serve(jsonResponses = false): Promise<HttpMcpServer> {
  const server = new HttpMcpServer(jsonResponses);
  await server.listen();
  servers.push(server);
  return server;
}

let calls = 0;
function call(name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  const tool = core.tools.get(name);
  if (!tool) throw new Error(`${name} is not registered`);
  calls += 1;
  return tool.invoke(args, { signal: new AbortController().signal, callId: `h${calls}` });
}

const status = (name: string) => extension.servers().find((server) => server.name === name);

beforeEach(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'jan-mcp-http-'));
});

afterEach(async () => {
  await core.stop();
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  rmSync(sandbox, { recursive: true, force: true });
});

describe('MCP servers over Streamable HTTP on 127.0.0.1', () => {
  it("connects with the config's headers, registers the tools and answers calls", async () => {
    const server = await serve();
    await start({ web: remote(server) });
    expect(status('web')).toMatchObject({ state: 'ready', transport: 'http' });
    expect(await call('web_add', { a: 20, b: 22 })).toEqual({ content: '42', summary: '42' });
    expect(core.tools.get('web_echo')?.source).toBe('mcp:web');
  });

  it('reports a server that refuses the key, without the key in the message', async () => {
    const server = await serve();
    await start({ web: remote(server, { Authorization: `Bearer ${KEY}-wrong` }) });
    expect(status('web')?.state).toBe('failed');
    expect(status('web')?.error).toContain('401');
    expect(status('web')?.error).not.toContain(KEY);
    expect(core.tools.all()).toEqual([]);
  });

  it.each([
    ['an event stream', false],
    ['a JSON body', true],
  ])('drops a 50 MB answer sent as %s, failing only that call', async (_how, json) => {
    const server = await serve(json);
    await start({ web: remote(server) });
    const huge = await call('web_big', { megabytes: 50 });
    expect(huge).toMatchObject({ isError: true, content: expect.stringContaining('over the 16.0 MB Jan accepts') });
    expect(await call('web_echo', { text: 'after' })).toMatchObject({ content: 'after' });
    expect(status('web')?.state).toBe('ready');
  });

  it('reports a server that went away, and connects again on the next call once it is back', async () => {
    const server = await serve();
    await start({ web: remote(server) });
    expect(await call('web_echo', { text: 'one' })).toMatchObject({ content: 'one' });
    const port = server.port;
    await server.close();
    expect(await call('web_echo', { text: 'two' })).toMatchObject({ isError: true });
    expect(status('web')).toMatchObject({ state: 'failed', error: expect.stringContaining('could not be reached') });
    await server.listen(port);
    expect(await call('web_echo', { text: 'three' })).toMatchObject({ content: 'three' });
    expect(status('web')?.state).toBe('ready');
  });
});
