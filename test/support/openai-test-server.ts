/**
 * An OpenAI-compatible server on 127.0.0.1 for the remote engine's tests and bench: in the
 * `ok` fault it is well behaved and every token comes from a real engine (the llama.cpp engine
 * on the test model) through real HTTP; each other fault plays one failure a user meets with a
 * real server. When the project's own API server exists, the well-behaved case can be it instead:
 * the tests only need `baseUrl` and `modelId`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatMessage, InferenceEngine } from '@jan/core';

export type Fault =
  /** Well behaved: real tokens from the backing engine. */
  | 'ok'
  /** 401 whose body echoes the key it was sent (a careless server), or 403. */
  | 'unauthorized'
  | 'forbidden'
  /** 429 with `Retry-After: 1` for the first `failuresBeforeOk` requests, then well behaved. */
  | 'rate-limited'
  /** 503 for the first `failuresBeforeOk` requests, then well behaved. */
  | 'server-error'
  /** Accepts the request and never sends a byte. */
  | 'silent'
  /** Streams the first half of the real reply's first text, then destroys the socket. */
  | 'cut'
  /** Streams one real token, then a chunk that is not JSON. */
  | 'malformed'
  /** Streams a token every few milliseconds and never ends. */
  | 'endless'
  /**
   * Never sends text: every few milliseconds an SSE comment, a chunk with no choices, a role-only
   * delta or an empty content delta, as a proxy or a stuck server keeps a stream alive.
   */
  | 'keep-alive'
  /** One real token of text, then only what `keep-alive` sends. */
  | 'keep-alive-after-text'
  /**
   * Streams two tool calls the way servers differ in doing it: the name in pieces and repeated,
   * nulls for absent fields, arguments a few characters at a time (`TOOL_PIECES_CALLS` is the whole).
   */
  | 'tool-pieces';

/** The calls the `tool-pieces` fault streams, as a client should assemble them. */
export const TOOL_PIECES_CALLS = [
  { id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/app.ts","line":3}' } },
  { id: 'call_b', type: 'function', function: { name: 'search', arguments: '{"query":"TODO"}' } },
];

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> | undefined;
}

export interface TestServerOptions {
  /** The engine behind the well-behaved answers and the model id it runs. */
  backend: InferenceEngine;
  modelId: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export class OpenAITestServer {
  fault: Fault = 'ok';
  /** Requests that fail before the `rate-limited` and `server-error` faults answer normally. */
  failuresBeforeOk = Infinity;
  readonly requests: RecordedRequest[] = [];
  /** Resolves when the client closed an `endless` or `silent` stream. */
  private closedWaiters: Array<() => void> = [];
  closedStreams = 0;
  private readonly server: Server;
  private failures = 0;

  private constructor(private readonly options: TestServerOptions) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(options: TestServerOptions): Promise<OpenAITestServer> {
    const server = new OpenAITestServer(options);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Chat and completion requests (what a retry repeats), not model listings. */
  get generationRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path !== '/v1/models');
  }

  /** Resolves once the client has closed a stream the server was still holding open. */
  nextClose(): Promise<void> {
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  /** Sets the fault and forgets the requests and failures so far. */
  play(fault: Fault, failuresBeforeOk = Infinity): void {
    this.fault = fault;
    this.failuresBeforeOk = failuresBeforeOk;
    this.failures = 0;
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJson(request);
    const path = (request.url ?? '/').split('?')[0]!;
    this.requests.push({ method: request.method ?? 'GET', path, authorization: request.headers.authorization, body });
    const sent = request.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (this.fault === 'unauthorized' || (this.options.apiKey && sent !== this.options.apiKey)) {
      return json(response, 401, {
        error: { message: `Incorrect API key provided: ${sent ?? '(none)'}`, type: 'invalid_request_error' },
      });
    }
    if (this.fault === 'forbidden')
      return json(response, 403, { error: { message: 'This key may not use this model.' } });
    if (path === '/v1/models')
      return json(response, 200, {
        object: 'list',
        data: [{ id: this.options.modelId, object: 'model', owned_by: 'test' }],
      });
    // llama.cpp server's own endpoint, by which a client recognises it (it also serves /infill).
    if (path === '/props') return json(response, 200, { default_generation_settings: {}, total_slots: 1 });
    if ((this.fault === 'rate-limited' || this.fault === 'server-error') && this.failures < this.failuresBeforeOk) {
      this.failures++;
      if (this.fault === 'rate-limited')
        return json(response, 429, { error: { message: 'Slow down.' } }, { 'retry-after': '1' });
      return json(response, 503, { error: { message: 'The GPU is busy.' } });
    }
    if (this.fault === 'silent') {
      request.socket.once('close', () => this.streamClosed());
      return;
    }
    const model = typeof body?.model === 'string' ? body.model : undefined;
    const servesModel = model === this.options.modelId;
    switch (path) {
      case '/v1/chat/completions':
        if (!servesModel)
          return json(response, 404, {
            error: { message: `The model \`${model}\` does not exist.`, code: 'model_not_found' },
          });
        return this.chat(request, response, body!);
      case '/v1/completions':
      case '/v1/fim/completions':
      case '/infill':
        if (path !== '/infill' && !servesModel)
          return json(response, 404, { error: { message: `The model \`${model}\` does not exist.` } });
        return this.complete(path, response, body!);
      default:
        return json(response, 404, { error: { message: `No route ${path}` } });
    }
  }

  private async chat(request: IncomingMessage, response: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const messages = (body.messages as ChatMessage[]) ?? [];
    const controller = new AbortController();
    request.socket.once('close', () => controller.abort());
    const base = {
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: this.options.modelId,
    };
    const delta = (content: string) =>
      sse(response, { ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] });
    if (body.stream !== true) return this.chatAtOnce(response, messages, body);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (this.fault === 'tool-pieces') return this.toolPieces(response, base);
    if (this.fault === 'endless') {
      request.socket.once('close', () => this.streamClosed());
      const timer = setInterval(() => delta(' and'), 5);
      request.socket.once('close', () => clearInterval(timer));
      return;
    }
    if (this.fault === 'keep-alive' || this.fault === 'keep-alive-after-text') {
      request.socket.once('close', () => this.streamClosed());
      if (this.fault === 'keep-alive-after-text') delta('Once');
      const empty = [
        { ...base, choices: [] },
        { ...base, choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] },
        { ...base, choices: [{ index: 0, delta: { content: '' }, finish_reason: null }] },
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: null }] },
      ];
      let beat = 0;
      const timer = setInterval(() => {
        if (beat % 2 === 0) response.write(': keep-alive\n\n');
        else sse(response, empty[beat % empty.length]);
        beat++;
      }, 5);
      request.socket.once('close', () => clearInterval(timer));
      return;
    }
    let usage: unknown;
    let finish: string | null = 'stop';
    const stream = this.options.backend.chat(
      {
        model: this.options.modelId,
        messages,
        max_tokens: numberOr(body.max_tokens, 64),
        temperature: numberOr(body.temperature, 0),
        seed: 1,
      },
      controller.signal,
    );
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) {
        if (this.fault === 'cut') {
          // Destroyed once the half is on the wire: the client reads it, then the connection drops.
          const half = {
            ...base,
            choices: [
              { index: 0, delta: { content: content.slice(0, Math.ceil(content.length / 2)) }, finish_reason: null },
            ],
          };
          response.write(`data: ${JSON.stringify(half)}\n\n`, () => setTimeout(() => response.socket?.destroy(), 20));
          return;
        }
        delta(content);
        if (this.fault === 'malformed') {
          response.write('data: {"choices": [{"delta": {"content": "broken\n\n');
          response.end();
          return;
        }
      }
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    if (controller.signal.aborted) return;
    sse(response, { ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
    sse(response, { ...base, choices: [], usage });
    response.end('data: [DONE]\n\n');
  }

  private toolPieces(response: ServerResponse, base: Record<string, unknown>): void {
    const send = (toolCalls: unknown[], finish: string | null = null) =>
      sse(response, {
        ...base,
        choices: [{ index: 0, delta: { content: null, tool_calls: toolCalls }, finish_reason: finish }],
      });
    send([{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_', arguments: null } }]);
    send([{ index: 0, id: null, type: null, function: { name: 'file', arguments: '' } }]);
    for (const piece of ['{"pa', 'th":"src/', 'app.ts","li', 'ne":3}'])
      send([{ index: 0, function: { arguments: piece } }]);
    send([{ index: 1, id: 'call_b', type: 'function', function: { name: 'search', arguments: '{"query":' } }]);
    send([{ index: 1, function: { name: 'search', arguments: '"TODO"}' } }]);
    sse(response, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
    sse(response, { ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 } });
    response.end('data: [DONE]\n\n');
  }

  private async chatAtOnce(
    response: ServerResponse,
    messages: ChatMessage[],
    body: Record<string, unknown>,
  ): Promise<void> {
    let text = '';
    let tokens = 0;
    let finish: string | null = 'stop';
    const request = {
      model: this.options.modelId,
      messages,
      max_tokens: numberOr(body.max_tokens, 64),
      temperature: numberOr(body.temperature, 0),
      seed: 1,
    };
    for await (const chunk of this.options.backend.chat(request)) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.delta.content) tokens++;
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
    }
    const usage = { prompt_tokens: 0, completion_tokens: tokens, total_tokens: tokens };
    json(response, 200, {
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }],
      usage,
    });
  }

  private async complete(path: string, response: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const infill = path === '/infill';
    const prefix = String((infill ? body.input_prefix : body.prompt) ?? '');
    const suffix = String((infill ? body.input_suffix : body.suffix) ?? '');
    const maxTokens = numberOr(infill ? body.n_predict : body.max_tokens, 16);
    const result = await this.options.backend.complete({
      model: this.options.modelId,
      prefix,
      suffix,
      max_tokens: maxTokens,
      temperature: 0,
    });
    const usage = { prompt_tokens: 0, completion_tokens: result.tokens, total_tokens: result.tokens };
    if (infill)
      return json(response, 200, {
        content: result.text,
        tokens_predicted: result.tokens,
        stop_type: result.finish_reason === 'length' ? 'limit' : 'eos',
      });
    if (path === '/v1/fim/completions') {
      return json(response, 200, {
        choices: [
          { index: 0, message: { role: 'assistant', content: result.text }, finish_reason: result.finish_reason },
        ],
        usage,
      });
    }
    return json(response, 200, {
      object: 'text_completion',
      choices: [{ index: 0, text: result.text, finish_reason: result.finish_reason }],
      usage,
    });
  }

  private streamClosed(): void {
    this.closedStreams++;
    for (const resolve of this.closedWaiters.splice(0)) resolve();
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  if (parts.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function sse(response: ServerResponse, data: unknown): void {
  response.write(`data: ${JSON.stringify(data)}\n\n`);
}
