import { Worker } from 'node:worker_threads';
import type { HostMessage } from './protocol';
import type { HostTransport, WorkerExit } from './transport';

/**
 * The worker in a `worker_threads` Worker: a little less overhead per message, but a native
 * abort inside llama.cpp ends the whole process, the extension host included. Opt-in only.
 */
export class ThreadTransport implements HostTransport {
  readonly kind = 'thread';
  private readonly worker: Worker;
  private readonly exitListeners: Array<(exit: WorkerExit) => void> = [];
  private exited: WorkerExit | undefined;
  private uncaught: string | undefined;

  constructor(workerPath: string) {
    this.worker = new Worker(workerPath);
    this.worker.on('error', (error) => {
      this.uncaught = error.message;
    });
    this.worker.on('exit', (code) => this.finish({ code, signal: null, error: this.uncaught }));
  }

  send(message: HostMessage): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.worker.on('message', listener);
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    this.exitListeners.push(listener);
    if (this.exited) listener(this.exited);
  }

  kill(): void {
    void this.worker.terminate();
  }

  private finish(exit: WorkerExit): void {
    if (this.exited) return;
    this.exited = exit;
    for (const listener of this.exitListeners) listener(exit);
  }
}
