import type { EngineError, Logger } from '@jan/core';
import { backendName } from './fit';
import type { LlamaCppSettings } from './settings';
import { WorkerHandle, workerKey } from './worker-handle';

export interface SupervisorOptions {
  workerPath: string;
  /** Read when a worker starts: a worker started with other settings is replaced when idle. */
  settings(): LlamaCppSettings;
  backendsFolder?: string;
  logger: Logger;
  /** The worker died on its own; `models` were loaded in it. */
  crashed(error: EngineError, models: string[]): void;
  /** The worker was stopped on purpose; `models` were loaded in it. */
  stopped(models: string[], reason: string): void;
}

/**
 * The engine's one worker: started on demand, replaced when the settings it was started with
 * change, stopped on purpose (its models save their threads' states first) or found crashed.
 */
export class WorkerSupervisor {
  private worker: Promise<WorkerHandle> | undefined;
  /** The same worker once started, for synchronous reads (context size, status). */
  private settled: WorkerHandle | undefined;
  /** The last stop, which saves the threads' states before the worker ends. */
  private stopping: Promise<void> = Promise.resolve();
  private readonly announced = new Set<string>();

  constructor(private readonly options: SupervisorOptions) {}

  get current(): WorkerHandle | undefined {
    return this.settled;
  }

  /** The running worker, or a new one. */
  async ensure(): Promise<WorkerHandle> {
    // A worker still saving its threads' states finishes first: the next one restores them.
    await this.stopping;
    const settings = this.options.settings();
    const running = await this.existing();
    if (running && (running.key === workerKey(settings) || running.busy)) return running;
    if (running) await this.stop('settings changed');
    const starting = WorkerHandle.start({
      workerPath: this.options.workerPath,
      settings,
      backendsFolder: this.options.backendsFolder,
      logger: this.options.logger,
      onCrash: (error) => this.crashed(starting, error),
    });
    this.worker = starting;
    try {
      const worker = await starting;
      if (this.worker === starting) this.settled = worker;
      this.announceFallback(worker.info.gpuFallbackReason, worker.info.gpu);
      return worker;
    } catch (error) {
      if (this.worker === starting) this.worker = undefined;
      throw error;
    }
  }

  async existing(): Promise<WorkerHandle | undefined> {
    if (!this.worker) return undefined;
    const worker = await this.worker.catch(() => undefined);
    return worker?.alive ? worker : undefined;
  }

  /** Stops the worker; by default its models save their threads' KV cache states first. */
  async stop(reason: string, options = { saveStates: true }): Promise<void> {
    const starting = this.worker;
    if (!starting) return;
    this.worker = undefined;
    this.settled = undefined;
    const stopped = (async () => {
      const worker = await starting.catch(() => undefined);
      if (!worker) return;
      const models = [...worker.loaded.keys()];
      await worker.stop(options);
      this.options.stopped(models, reason);
    })();
    this.stopping = stopped;
    await stopped;
  }

  /** A GPU backend that failed is said once per reason (each worker start tries it again). */
  private announceFallback(reason: string | undefined, backend: string): void {
    if (!reason || this.announced.has(reason)) return;
    this.announced.add(reason);
    this.options.logger.warn(`llama.cpp runs on ${backend === 'cpu' ? 'the CPU' : backendName(backend)}: ${reason}`);
  }

  private crashed(starting: Promise<WorkerHandle>, error: EngineError): void {
    const worker = this.worker === starting ? this.settled : undefined;
    if (this.worker === starting) {
      this.worker = undefined;
      this.settled = undefined;
    }
    this.options.crashed(error, [...(worker?.loaded.keys() ?? [])]);
  }
}
