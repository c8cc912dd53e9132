import { EngineError } from '@jan/core';
import { chunkSchema, methods } from './methods';
import type { ArgsOf, ChunkOf, Method, ResultOf } from './methods';
import { workerMessage } from './protocol';
import { check } from './schema';
import type { WorkerMessage } from './protocol';
import { describeExit } from './transport';
import type { HostTransport, WorkerExit } from './transport';

const ACTIVITY: Record<Method, string> = {
  init: 'starting llama.cpp',
  plan: 'estimating a model',
  load: 'loading a model',
  unload: 'unloading a model',
  status: 'reporting its status',
  chat: 'generating a chat reply',
  complete: 'completing code',
  embed: 'making embeddings',
  countTokens: 'counting tokens',
  countChatTokens: 'counting tokens',
  tokenize: 'tokenizing text',
  detokenize: 'turning tokens into text',
};

export interface CallOptions<M extends Method> {
  /** Aborting sends a cancel for this call; the call still settles with what the worker answers. */
  signal?: AbortSignal;
  onChunk?: (chunk: ChunkOf<M>) => void;
}

interface PendingCall {
  method: Method;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onChunk?: (chunk: never) => void;
  detach(): void;
}

export interface RpcClientEvents {
  log(level: Extract<WorkerMessage, { type: 'log' }>['level'], message: string): void;
  /** The worker ended while it was not being stopped; `error` is what pending calls got. */
  crashed(error: EngineError, exit: WorkerExit): void;
}

/**
 * The host end of the worker RPC: numbered requests, streamed chunks, cancel by id. When the
 * worker ends, every pending call rejects with an error that says what happened and what the
 * worker was doing; the client is then spent (the engine starts a new worker).
 */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private ended: EngineError | undefined;
  private stopping = false;

  constructor(
    private readonly transport: HostTransport,
    private readonly events: RpcClientEvents,
  ) {
    transport.onMessage((message) => this.receive(message));
    transport.onExit((exit) => this.exit(exit));
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  get pendingCalls(): number {
    return this.pending.size;
  }

  call<M extends Method>(method: M, args: ArgsOf<M>, options: CallOptions<M> = {}): Promise<ResultOf<M>> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    const { signal, onChunk } = options;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const cancel = () => this.transport.send({ type: 'cancel', id });
      signal?.addEventListener('abort', cancel, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        onChunk: onChunk as ((chunk: never) => void) | undefined,
        detach: () => signal?.removeEventListener('abort', cancel),
      });
      this.transport.send({ type: 'request', id, method, args });
      if (signal?.aborted) cancel();
    });
  }

  /** Marks the coming exit as intended: pending calls then reject as ABORTED, not as a crash. */
  markStopping(): void {
    this.stopping = true;
  }

  private receive(raw: unknown): void {
    let message: WorkerMessage;
    try {
      message = check(workerMessage, raw, 'message');
    } catch (error) {
      this.events.log('error', `Ignored an invalid message from the llama.cpp worker: ${(error as Error).message}`);
      return;
    }
    if (message.type === 'log') {
      this.events.log(message.level, message.message);
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    if (message.type === 'chunk') {
      const schema = chunkSchema(call.method);
      try {
        if (!schema) throw new Error(`${call.method} does not stream`);
        call.onChunk?.(check(schema, message.value, `${call.method} chunk`) as never);
      } catch (error) {
        this.settle(message.id, invalidAnswer(call.method, error));
      }
      return;
    }
    if (message.type === 'error') {
      this.settle(message.id, new EngineError(message.error.code, message.error.message));
      return;
    }
    try {
      const value: unknown = check(methods[call.method].result, message.value, `${call.method} result`);
      this.settle(message.id, undefined, value);
    } catch (error) {
      this.settle(message.id, invalidAnswer(call.method, error));
    }
  }

  private settle(id: number, error: Error | undefined, value?: unknown): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    call.detach();
    if (error) call.reject(error);
    else call.resolve(value);
  }

  private exit(exit: WorkerExit): void {
    const activities = [...new Set([...this.pending.values()].map((call) => ACTIVITY[call.method]))];
    const during = activities.length ? ` while ${activities.join(' and ')}` : ' while idle';
    const crashed = !this.stopping;
    const detail =
      crashed && exit.stderrTail ? `. Its last output: ${exit.stderrTail.split('\n').slice(-3).join(' ')}` : '';
    this.ended = crashed
      ? new EngineError('WORKER_CRASHED', `The llama.cpp worker crashed (${describeExit(exit)})${during}${detail}`)
      : new EngineError('ABORTED', `The llama.cpp worker was stopped${during}`);
    for (const id of [...this.pending.keys()]) this.settle(id, this.ended);
    if (crashed) this.events.crashed(this.ended, exit);
  }
}

function invalidAnswer(method: Method, error: unknown): EngineError {
  return new EngineError(
    'UNKNOWN',
    `The llama.cpp worker sent an invalid answer to ${method}: ${(error as Error).message}`,
  );
}
