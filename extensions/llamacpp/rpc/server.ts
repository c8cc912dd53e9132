import type { EngineErrorCode } from '@jan/core';
import { isMethod, methods } from './methods';
import type { ArgsOf, ChunkOf, Method, ResultOf } from './methods';
import { hostMessage } from './protocol';
import type { HostMessage, WorkerMessage } from './protocol';
import { check, SchemaError } from './schema';

/** The worker's end of a transport. */
export interface WorkerPort {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** An error the worker reports with a code the engine and UI understand. */
export class WorkerError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

export interface CallContext<M extends Method> {
  /** Aborted when the host cancels this call. */
  signal: AbortSignal;
  emit(chunk: ChunkOf<M>): void;
}

export type Handlers = { [M in Method]: (args: ArgsOf<M>, context: CallContext<M>) => Promise<ResultOf<M>> };

/** Serves the RPC on a port: validates each request, runs its handler, answers once. */
export function serve(port: WorkerPort, handlers: Handlers): void {
  const running = new Map<number, AbortController>();
  const reply = (message: WorkerMessage) => port.send(message);
  const fail = (id: number, code: EngineErrorCode, message: string) =>
    reply({ type: 'error', id, error: { code, message } });

  port.onMessage((raw) => {
    let message: HostMessage;
    try {
      message = check(hostMessage, raw, 'message');
    } catch (error) {
      reply({
        type: 'log',
        level: 'error',
        message: `The llama.cpp worker ignored an invalid message: ${(error as Error).message}`,
      });
      return;
    }
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const { id, method } = message;
    if (!isMethod(method)) {
      fail(id, 'INVALID_REQUEST', `The llama.cpp worker has no method "${method}"`);
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    void run(method, message.args, controller.signal, (chunk) => reply({ type: 'chunk', id, value: chunk }))
      .then(
        (value) => reply({ type: 'result', id, value }),
        (error: unknown) => {
          if (error instanceof WorkerError) fail(id, error.code, error.message);
          else if (error instanceof SchemaError)
            fail(id, 'INVALID_REQUEST', `Invalid ${method} request: ${error.message}`);
          else fail(id, 'UNKNOWN', error instanceof Error ? error.message : String(error));
        },
      )
      .finally(() => running.delete(id));
  });

  async function run(
    method: Method,
    rawArgs: unknown,
    signal: AbortSignal,
    emit: (chunk: unknown) => void,
  ): Promise<unknown> {
    const args = check(methods[method].args, rawArgs, method);
    const handler = handlers[method] as (args: unknown, context: CallContext<Method>) => Promise<unknown>;
    return handler(args, { signal, emit });
  }
}
