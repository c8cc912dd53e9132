import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/node/server/errors';
import { ModelQueue } from '../../../src/node/server/model-queue';

/** A task the test finishes when it wants: "running" is a state the test holds, not a moment it sleeps until. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    task: async () => {
      started = true;
      await done;
      return 'done';
    },
    finish,
    get started() {
      return started;
    },
  };
}

const never = new AbortController().signal;

describe('ModelQueue', () => {
  it('runs one request per model at a time, the next in arrival order', async () => {
    const queue = new ModelQueue(1, 4);
    const first = held();
    const second = held();
    const third = held();
    const runs = [
      queue.run('m', never, first.task),
      queue.run('m', never, second.task),
      queue.run('m', never, third.task),
    ];
    await Promise.resolve();
    expect([first.started, second.started, third.started]).toEqual([true, false, false]);
    expect(queue.inFlight).toBe(3);
    first.finish();
    await expect.poll(() => second.started).toBe(true);
    expect(third.started).toBe(false);
    second.finish();
    third.finish();
    await expect(Promise.all(runs)).resolves.toEqual(['done', 'done', 'done']);
    expect(queue.inFlight).toBe(0);
  });

  it('lets another model run alongside', async () => {
    const queue = new ModelQueue(1, 0);
    const a = held();
    const b = held();
    const runs = [queue.run('a', never, a.task), queue.run('b', never, b.task)];
    await Promise.resolve();
    expect([a.started, b.started]).toEqual([true, true]);
    a.finish();
    b.finish();
    await Promise.all(runs);
  });

  it('refuses one more than the bound with 429 and a Retry-After of at least a second', async () => {
    const queue = new ModelQueue(1, 1);
    const first = held();
    const second = held();
    const running = queue.run('m', never, first.task);
    const waiting = queue.run('m', never, second.task);
    const refused = await queue.run('m', never, async () => 'no').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(Number((refused as ApiError).headers['retry-after'])).toBeGreaterThanOrEqual(1);
    first.finish();
    second.finish();
    await Promise.all([running, waiting]);
  });

  it('drops a waiting request whose client left, without running it, and lets the next one through', async () => {
    const queue = new ModelQueue(1, 2);
    const first = held();
    const leaving = held();
    const staying = held();
    const running = queue.run('m', never, first.task);
    const controller = new AbortController();
    const left = queue.run('m', controller.signal, leaving.task);
    const stays = queue.run('m', never, staying.task);
    controller.abort();
    await expect(left).rejects.toMatchObject({ code: 'ABORTED' });
    expect(queue.inFlight).toBe(2);
    first.finish();
    await expect.poll(() => staying.started).toBe(true);
    expect(leaving.started).toBe(false);
    staying.finish();
    await Promise.all([running, stays]);
  });

  it('never runs a request whose client already left, even with the model free', async () => {
    const queue = new ModelQueue(1, 2);
    const controller = new AbortController();
    controller.abort();
    const gone = held();
    const run = queue.run('m', controller.signal, gone.task);
    await Promise.resolve();
    expect(gone.started).toBe(false);
    gone.finish();
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(queue.inFlight).toBe(0);
  });

  it('frees the model when a task fails', async () => {
    const queue = new ModelQueue(1, 1);
    await expect(queue.run('m', never, async () => Promise.reject(new Error('engine failed')))).rejects.toThrow(
      'engine failed',
    );
    await expect(queue.run('m', never, async () => 'next')).resolves.toBe('next');
    expect(queue.inFlight).toBe(0);
  });

  it('tells listeners when the count changes', async () => {
    const queue = new ModelQueue(1, 1);
    const seen: number[] = [];
    const unsubscribe = queue.onChange(() => seen.push(queue.inFlight));
    await queue.run('m', never, async () => 'x');
    unsubscribe();
    expect(seen).toEqual([1, 0]);
  });
});
