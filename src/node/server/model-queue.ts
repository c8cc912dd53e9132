import { EngineError } from '@jan/core';
import { ApiError } from './errors';

interface Waiter {
  start: () => void;
  cancel: () => void;
}

interface Lane {
  running: number;
  waiting: Waiter[];
}

/** How many recent request durations the Retry-After estimate averages. */
const DURATION_SAMPLES = 20;

/**
 * Requests to one model take turns: `concurrency` run, up to `bound` wait in order, and one more
 * is refused with 429 and a Retry-After estimated from how long recent requests took. A request
 * whose client left, before it arrived here or while it waits, never reaches the engine.
 */
export class ModelQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly durations: number[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly concurrency: number,
    private readonly bound: number,
  ) {}

  /** Calls `listener` whenever `inFlight` changes (the editor's status bar); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Requests running or waiting, over every model (the status bar shows it). */
  get inFlight(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.running + lane.waiting.length;
    return total;
  }

  /** Runs `task` when it is this request's turn for `modelId`; throws 429 when the line is full. */
  async run<T>(modelId: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    if (signal.aborted) throw new EngineError('ABORTED', 'The client left before the request reached the model.');
    const lane = this.lane(modelId);
    if (lane.running >= this.concurrency) {
      if (lane.waiting.length >= this.bound) {
        const seconds = String(this.retryAfterSeconds(lane));
        throw new ApiError(
          429,
          `Model ${modelId} is busy: ${lane.waiting.length} requests are already waiting. Retry after ${seconds} s.`,
          'rate_limit_exceeded',
          'rate_limit_exceeded',
          null,
          {
            'retry-after': seconds,
          },
        );
      }
      const turn = this.wait(lane, signal);
      this.changed();
      await turn.catch((error: unknown) => {
        this.changed();
        throw error;
      });
    }
    lane.running += 1;
    this.changed();
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.recordDuration(performance.now() - started);
      lane.running -= 1;
      lane.waiting.shift()?.start();
      if (lane.running === 0 && lane.waiting.length === 0) this.lanes.delete(modelId);
      this.changed();
    }
  }

  private wait(lane: Lane, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted)
        return reject(new EngineError('ABORTED', 'The client left while the request waited for the model.'));
      const onAbort = () => waiter.cancel();
      const waiter: Waiter = {
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        cancel: () => {
          lane.waiting.splice(lane.waiting.indexOf(waiter), 1);
          reject(new EngineError('ABORTED', 'The client left while the request waited for the model.'));
        },
      };
      lane.waiting.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private lane(modelId: string): Lane {
    let lane = this.lanes.get(modelId);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      this.lanes.set(modelId, lane);
    }
    return lane;
  }

  private recordDuration(ms: number): void {
    this.durations.push(ms);
    if (this.durations.length > DURATION_SAMPLES) this.durations.shift();
  }

  /** Seconds until the line has likely moved by one: the average request time × the requests ahead. */
  private retryAfterSeconds(lane: Lane): number {
    const average = this.durations.length
      ? this.durations.reduce((sum, ms) => sum + ms, 0) / this.durations.length
      : 1000;
    return Math.max(1, Math.ceil((average * (lane.waiting.length + 1)) / this.concurrency / 1000));
  }
}
