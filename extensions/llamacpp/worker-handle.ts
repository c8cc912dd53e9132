import { existsSync } from 'node:fs';
import { EngineError } from '@jan/core';
import type { Logger } from '@jan/core';
import { RpcClient } from './rpc/client';
import type { CallOptions } from './rpc/client';
import type { ArgsOf, Method, ResultOf } from './rpc/methods';
import { ProcessTransport } from './rpc/process-transport';
import { ThreadTransport } from './rpc/thread-transport';
import type { HostTransport, TransportKind } from './rpc/transport';
import type { LlamaCppSettings } from './settings';

export interface WorkerStartOptions {
  workerPath: string;
  settings: LlamaCppSettings;
  backendsFolder?: string;
  logger: Logger;
  /** The worker died on its own; every pending call has already been rejected with `error`. */
  onCrash(error: EngineError): void;
}

export interface LoadedModelInfo extends ResultOf<'load'> {
  /** File, context size and GPU layers it was loaded with: a change means a reload. */
  key: string;
}

/** How long a stopping worker gets to save its chat states (gigabytes for large models on a slow disk). */
const SAVE_ON_STOP_MS = 30_000;

function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}

/** The settings a worker is started with; when they change, the next request gets a new worker. */
export function workerKey(settings: LlamaCppSettings): string {
  return `${settings.transport}|${settings.gpu}|${settings.threads}`;
}

/** One running worker (child process or thread), its RPC client and the models loaded in it. */
export class WorkerHandle {
  readonly loaded = new Map<string, LoadedModelInfo>();

  private constructor(
    private readonly transport: HostTransport,
    private readonly client: RpcClient,
    readonly key: string,
    readonly info: ResultOf<'init'>,
    private readonly exited: Promise<void>,
  ) {}

  static async start(options: WorkerStartOptions): Promise<WorkerHandle> {
    const { workerPath, settings, logger } = options;
    if (!existsSync(workerPath)) {
      throw new EngineError(
        'UNKNOWN',
        `The llama.cpp worker is missing at ${workerPath}. Rebuild the extension (npm run build).`,
      );
    }
    const transport = createTransport(settings.transport, workerPath, logger);
    const exited = new Promise<void>((resolve) => transport.onExit(() => resolve()));
    const client = new RpcClient(transport, {
      log: (level, message) => logger[level](message),
      crashed: (error) => options.onCrash(error),
    });
    let info: ResultOf<'init'>;
    try {
      info = await client.call('init', {
        gpu: settings.gpu,
        threads: settings.threads,
        backendsFolder: options.backendsFolder,
      });
    } catch (error) {
      client.markStopping();
      transport.kill();
      throw error;
    }
    const handle = new WorkerHandle(transport, client, workerKey(settings), info, exited);
    logger.info(
      `llama.cpp worker started (${transport.kind}; ${info.gpu === 'cpu' ? 'CPU' : `GPU: ${info.gpu}`}; ${info.threads} threads)` +
        (info.threadsReason ? ` from ${info.threadsReason}` : '') +
        (info.gpuFallbackReason ? `; GPU unavailable: ${info.gpuFallbackReason}` : ''),
    );
    return handle;
  }

  get alive(): boolean {
    return this.client.alive;
  }

  get busy(): boolean {
    return this.client.pendingCalls > 0;
  }

  get transportKind(): TransportKind {
    return this.transport.kind;
  }

  call<M extends Method>(method: M, args: ArgsOf<M>, options?: CallOptions<M>): Promise<ResultOf<M>> {
    return this.client.call(method, args, options);
  }

  /**
   * Ends the worker on purpose: pending calls reject as ABORTED and no crash is reported. With
   * `saveStates`, its models are unloaded first, which saves every pooled thread's KV cache state
   * (worker/chat-pool.ts), so the thread's next turn is a restore; a worker that does not finish
   * within SAVE_ON_STOP_MS is ended anyway.
   */
  async stop(options: { saveStates?: boolean } = {}): Promise<void> {
    if (options.saveStates && this.alive && this.loaded.size > 0) {
      const unloaded = this.client.call('unload', {}).then(
        () => true,
        () => true,
      );
      const timer = delay(SAVE_ON_STOP_MS);
      await Promise.race([unloaded, timer.promise]);
      timer.cancel();
    }
    this.client.markStopping();
    this.transport.kill();
    await this.exited;
  }
}

function createTransport(kind: TransportKind, workerPath: string, logger: Logger): HostTransport {
  if (kind === 'thread') return new ThreadTransport(workerPath);
  return new ProcessTransport(workerPath, (text) => {
    for (const line of text.split('\n')) if (line.trim()) logger.debug(`llama.cpp worker: ${line.trimEnd()}`);
  });
}
