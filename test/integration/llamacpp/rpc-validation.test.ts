import { describe, expect, it } from 'vitest';
import { RpcClient } from '../../../extensions/llamacpp/rpc/client';
import type { HostMessage, WorkerMessage } from '../../../extensions/llamacpp/rpc/protocol';
import { serve, WorkerError } from '../../../extensions/llamacpp/rpc/server';
import type { Handlers, WorkerPort } from '../../../extensions/llamacpp/rpc/server';
import type { HostTransport, WorkerExit } from '../../../extensions/llamacpp/rpc/transport';

/**
 * The RPC is transport-agnostic; here its two ends are joined in memory (messages cloned the way
 * IPC copies them) to reach what a real worker never sends: malformed messages and answers.
 */
class MemoryLink implements HostTransport {
  readonly kind = 'thread' as const;
  readonly hostReceived: unknown[] = [];
  private toHost: Array<(message: unknown) => void> = [];
  private toWorker: Array<(message: unknown) => void> = [];
  private exits: Array<(exit: WorkerExit) => void> = [];

  readonly port: WorkerPort = {
    send: (message: WorkerMessage) => this.deliverToHost(message),
    onMessage: (listener) => void this.toWorker.push(listener),
  };

  send(message: HostMessage): void {
    const copy = structuredClone(message);
    queueMicrotask(() => this.toWorker.forEach((listener) => listener(copy)));
  }
  onMessage(listener: (message: unknown) => void): void {
    this.toHost.push(listener);
  }
  onExit(listener: (exit: WorkerExit) => void): void {
    this.exits.push(listener);
  }
  kill(): void {
    this.exit({ code: null, signal: 'SIGTERM' });
  }
  /** Delivers anything, valid or not, as if the worker had sent it. */
  deliverToHost(message: unknown): void {
    const copy = structuredClone(message);
    this.hostReceived.push(copy);
    queueMicrotask(() => this.toHost.forEach((listener) => listener(copy)));
  }
  /** Delivers anything to the worker's port, as if the host had sent it. */
  deliverToWorker(message: unknown): void {
    queueMicrotask(() => this.toWorker.forEach((listener) => listener(structuredClone(message))));
  }
  exit(exit: WorkerExit): void {
    this.exits.forEach((listener) => listener(exit));
  }
}

function link(handlers: Partial<Handlers> = {}) {
  const transport = new MemoryLink();
  const logs: string[] = [];
  const crashes: string[] = [];
  const client = new RpcClient(transport, {
    log: (level, message) => logs.push(`${level}: ${message}`),
    crashed: (error) => crashes.push(error.message),
  });
  const notImplemented = async () => {
    throw new WorkerError('UNKNOWN', 'not in this test');
  };
  serve(transport.port, {
    init: notImplemented,
    load: notImplemented,
    unload: notImplemented,
    chat: notImplemented,
    complete: notImplemented,
    countTokens: notImplemented,
    ...handlers,
  } as Handlers);
  return { transport, client, logs, crashes };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('llama.cpp worker RPC: validation on both ends', () => {
  it('answers a request, streams its chunks and passes the worker error codes through', async () => {
    const { client } = link({
      chat: async (_args, { emit }) => {
        emit({ text: 'Once' });
        emit({ text: ' upon' });
        return {
          finishReason: 'stop',
          promptTokens: 5,
          cachedPromptTokens: 0,
          completionTokens: 2,
          promptMs: 1,
          generationMs: 1,
        };
      },
      countTokens: async (args) => {
        throw new WorkerError('NO_MODEL', `Model "${args.modelId}" is not loaded`);
      },
    });
    const chunks: string[] = [];
    const result = await client.call(
      'chat',
      { modelId: 'm', messages: [{ role: 'user', content: 'hi' }], sampling: {} },
      { onChunk: (chunk) => 'text' in chunk && chunks.push(chunk.text) },
    );
    expect(chunks).toEqual(['Once', ' upon']);
    expect(result.completionTokens).toBe(2);
    await expect(client.call('countTokens', { modelId: 'm', text: 'x' })).rejects.toMatchObject({
      code: 'NO_MODEL',
      message: 'Model "m" is not loaded',
    });
  });

  it('the worker refuses an unknown method and invalid arguments with INVALID_REQUEST, naming the field', async () => {
    const { transport } = link();
    transport.deliverToWorker({ type: 'request', id: 7, method: 'format-disk', args: {} });
    transport.deliverToWorker({
      type: 'request',
      id: 8,
      method: 'chat',
      args: { modelId: 'm', messages: 'hello', sampling: {} },
    });
    transport.deliverToWorker({ type: 'request', id: 9, method: 'countTokens', args: { modelId: 'm', text: 42 } });
    transport.deliverToWorker({ type: 'request', id: 10, method: 'countTokens', args: { modelId: 'm' } });
    transport.deliverToWorker({
      type: 'request',
      id: 11,
      method: 'chat',
      args: { modelId: 'm', messages: 'y'.repeat(1_000_000), sampling: {} },
    });
    await flush();
    expect(transport.hostReceived).toEqual([
      {
        type: 'error',
        id: 7,
        error: { code: 'INVALID_REQUEST', message: 'The llama.cpp worker has no method "format-disk"' },
      },
      {
        type: 'error',
        id: 8,
        error: { code: 'INVALID_REQUEST', message: 'Invalid chat request: chat.messages must be Array (got "hello")' },
      },
      {
        type: 'error',
        id: 9,
        error: {
          code: 'INVALID_REQUEST',
          message: 'Invalid countTokens request: countTokens.text must be string (got 42)',
        },
      },
      {
        type: 'error',
        id: 10,
        error: { code: 'INVALID_REQUEST', message: 'Invalid countTokens request: countTokens.text is missing' },
      },
      // A wrong value is quoted, but never at length.
      {
        type: 'error',
        id: 11,
        error: {
          code: 'INVALID_REQUEST',
          message: `Invalid chat request: chat.messages must be Array (got "${'y'.repeat(56)}...)`,
        },
      },
    ]);
  });

  it('the worker reports (and otherwise ignores) a message that is not an RPC message', async () => {
    const { transport, logs } = link();
    transport.deliverToWorker({ type: 'launch', id: 1 });
    transport.deliverToWorker('just a string');
    await flush();
    await flush();
    expect(logs).toEqual([
      'error: The llama.cpp worker ignored an invalid message: message.type must be ("request" | "cancel") (got "launch")',
      'error: The llama.cpp worker ignored an invalid message: message must be Object (got "just a string")',
    ]);
  });

  it('the host rejects a call whose answer does not match the method, and ignores garbage', async () => {
    const { transport, client, logs } = link({ countTokens: async () => ({ tokens: 'many' }) as never });
    await expect(client.call('countTokens', { modelId: 'm', text: 'x' })).rejects.toMatchObject({
      code: 'UNKNOWN',
      message:
        'The llama.cpp worker sent an invalid answer to countTokens: countTokens result.tokens must be number (got "many")',
    });
    transport.deliverToHost({ type: 'result' });
    transport.deliverToHost(null);
    await flush();
    expect(logs).toEqual([
      'error: Ignored an invalid message from the llama.cpp worker: message.id is missing',
      'error: Ignored an invalid message from the llama.cpp worker: message must be Object (got null)',
    ]);
    expect(client.alive).toBe(true);
  });

  it('cancels a call by id: the handler sees its signal abort', async () => {
    let sawAbort = false;
    const { client } = link({
      complete: (_args, { signal }) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () => {
            sawAbort = true;
            resolve({
              text: '',
              finishReason: 'abort',
              tokens: 0,
              infill: true,
              promptTokens: 0,
              cachedPromptTokens: 0,
            });
          }),
        ),
    });
    const controller = new AbortController();
    const call = client.call(
      'complete',
      { modelId: 'm', prefix: 'a', suffix: 'b', sampling: {} },
      { signal: controller.signal },
    );
    await flush();
    controller.abort();
    await expect(call).resolves.toMatchObject({ finishReason: 'abort' });
    expect(sawAbort).toBe(true);
  });

  it('a worker exit rejects every pending call with what happened and what it was doing', async () => {
    const never = () => new Promise<never>(() => {});
    const { transport, client, crashes } = link({ chat: never, countTokens: never });
    const chat = client.call('chat', { modelId: 'm', messages: [{ role: 'user', content: 'hi' }], sampling: {} });
    const count = client.call('countTokens', { modelId: 'm', text: '#' });
    await flush();
    transport.exit({ code: null, signal: 'SIGSEGV', stderrTail: 'line one\nSegmentation fault' });
    const expected =
      'The llama.cpp worker crashed (SIGSEGV) while generating a chat reply and counting tokens. Its last output: line one Segmentation fault';
    await expect(chat).rejects.toMatchObject({ code: 'WORKER_CRASHED', message: expected });
    await expect(count).rejects.toMatchObject({ code: 'WORKER_CRASHED', message: expected });
    expect(crashes).toEqual([expected]);
    await expect(client.call('countTokens', { modelId: 'm', text: 'x' })).rejects.toMatchObject({
      code: 'WORKER_CRASHED',
    });
  });

  it('an intended stop rejects pending calls as ABORTED, not as a crash', async () => {
    const { transport, client, crashes } = link({ load: () => new Promise<never>(() => {}) });
    const load = client.call('load', { modelId: 'm', filePath: '/m.gguf', contextSize: 512 });
    await flush();
    client.markStopping();
    transport.kill();
    await expect(load).rejects.toMatchObject({
      code: 'ABORTED',
      message: 'The llama.cpp worker was stopped while loading a model',
    });
    expect(crashes).toEqual([]);
  });
});
