import { describe, expect, it } from 'vitest';
import { EventBus, MemoryLogger } from '@jan/core';

describe('EventBus', () => {
  it('delivers typed payloads to every listener until disposed', () => {
    const bus = new EventBus(new MemoryLogger());
    const seen: string[] = [];
    const subscription = bus.on('OnModelReady', ({ modelId }) => void seen.push(`a:${modelId}`));
    bus.on('OnModelReady', ({ modelId }) => void seen.push(`b:${modelId}`));
    bus.emit('OnModelReady', { modelId: 'm1' });
    subscription.dispose();
    bus.emit('OnModelReady', { modelId: 'm2' });
    expect(seen).toEqual(['a:m1', 'b:m1', 'b:m2']);
    expect(bus.listenerCount('OnModelReady')).toBe(1);
  });

  it('isolates and logs a throwing or rejecting listener', async () => {
    const logger = new MemoryLogger();
    const bus = new EventBus(logger);
    const seen: string[] = [];
    bus.on('OnThreadDeleted', () => {
      throw new Error('boom');
    });
    bus.on('OnThreadDeleted', async () => {
      throw new Error('async boom');
    });
    bus.on('OnThreadDeleted', ({ id }) => void seen.push(id));
    expect(() => bus.emit('OnThreadDeleted', { id: 't1' })).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['t1']);
    expect(logger.messages('error')).toEqual([
      'A listener of OnThreadDeleted failed: boom',
      'A listener of OnThreadDeleted failed: async boom',
    ]);
  });
});
