import { describe, expect, it } from 'vitest';
import { StreamCoalescer } from '../../../src/vscode/chat/stream-coalescer';
import { WebviewChannel } from '../../../src/vscode/chat/webview-channel';

function manual() {
  const pending: Array<{ flush: () => void; cancelled: boolean }> = [];
  const schedule = (flush: () => void) => {
    const entry = { flush, cancelled: false };
    pending.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  };
  return { pending, schedule };
}

describe('StreamCoalescer', () => {
  it('sends only the latest value per key, once per scheduled flush', () => {
    const { pending, schedule } = manual();
    const sent: Array<[string, number]> = [];
    const stream = new StreamCoalescer<number>((key, value) => sent.push([key, value]), schedule);
    for (let index = 1; index <= 5; index++) stream.push('a', index);
    stream.push('b', 9);
    expect(pending).toHaveLength(1);
    expect(sent).toEqual([]);
    pending[0]!.flush();
    expect(sent).toEqual([
      ['a', 5],
      ['b', 9],
    ]);
    stream.push('a', 6);
    expect(pending).toHaveLength(2);
  });

  it('flushes at once on demand and cancels the scheduled flush; dispose drops what is held', () => {
    const { pending, schedule } = manual();
    const sent: number[] = [];
    const stream = new StreamCoalescer<number>((_key, value) => sent.push(value), schedule);
    stream.push('a', 1);
    stream.flush();
    expect(sent).toEqual([1]);
    expect(pending[0]!.cancelled).toBe(true);
    stream.flush();
    expect(sent).toEqual([1]);
    stream.push('a', 2);
    stream.dispose();
    stream.flush();
    expect(sent).toEqual([1]);
  });
});

describe('WebviewChannel', () => {
  it('sends nothing before ready, drops what can be rebuilt and queues what must arrive', () => {
    const channel = new WebviewChannel<string>();
    const first: string[] = [];
    channel.attach((message) => first.push(message));
    channel.send('state before ready');
    channel.deliver('text for the input');
    expect(first).toEqual([]);
    channel.markReady();
    channel.send('state');
    channel.flush();
    expect(first).toEqual(['state', 'text for the input']);
  });

  it('starts over with each page: a new page is not ready until it says so', () => {
    const channel = new WebviewChannel<string>();
    const first: string[] = [];
    const second: string[] = [];
    const detachFirst = channel.attach((message) => first.push(message));
    channel.markReady();
    channel.attach((message) => second.push(message));
    detachFirst();
    channel.deliver('queued');
    channel.send('dropped');
    expect(channel.isReady).toBe(false);
    channel.markReady();
    channel.flush();
    expect(second).toEqual(['queued']);
    expect(first).toEqual([]);
  });

  it('is not ready without a page', () => {
    const channel = new WebviewChannel<string>();
    channel.markReady();
    expect(channel.isReady).toBe(false);
    const detach = channel.attach(() => undefined);
    channel.markReady();
    detach();
    expect(channel.isReady).toBe(false);
  });
});
