import { describe, expect, it } from 'vitest';
import { SharedLoad } from '../../../extensions/llamacpp/shared-load';

function deferred() {
  let resolve!: (value: string) => void;
  const promise = new Promise<string>((done) => (resolve = done));
  return { promise, resolve };
}

describe('SharedLoad', () => {
  it('one caller giving up does not cancel the load for the others', async () => {
    const gate = deferred();
    let loadSignal: AbortSignal | undefined;
    const load = new SharedLoad((signal) => {
      loadSignal = signal;
      return gate.promise;
    });
    const impatient = new AbortController();
    const first = load.wait(impatient.signal);
    const second = load.wait();
    impatient.abort();
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    expect(loadSignal!.aborted).toBe(false);
    gate.resolve('loaded');
    await expect(second).resolves.toBe('loaded');
  });

  it('cancels the load when every waiting caller gave up', async () => {
    let loadSignal: AbortSignal | undefined;
    const load = new SharedLoad((signal) => {
      loadSignal = signal;
      return new Promise<string>(() => undefined);
    });
    const a = new AbortController();
    const b = new AbortController();
    const first = load.wait(a.signal);
    const second = load.wait(b.signal);
    a.abort();
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    expect(loadSignal!.aborted).toBe(false);
    b.abort();
    await expect(second).rejects.toMatchObject({ code: 'ABORTED' });
    expect(loadSignal!.aborted).toBe(true);
  });

  it('refuses a caller whose signal is already aborted, without touching the load', async () => {
    const load = new SharedLoad(async () => 'loaded');
    const controller = new AbortController();
    controller.abort();
    await expect(load.wait(controller.signal)).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(load.wait()).resolves.toBe('loaded');
  });
});
