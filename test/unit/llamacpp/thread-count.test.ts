import { describe, expect, it } from 'vitest';
import { chooseThreads, ThreadGovernor } from '../../../extensions/llamacpp/worker/thread-count';
import { slowReplyHint } from '../../../extensions/llamacpp/slow-reply';

describe('the default thread count: physical cores the rest of the machine leaves', () => {
  it('takes every physical core of an idle machine, and one on a machine already busy', () => {
    expect(chooseThreads(2, 2, 0)).toBe(2);
    // Issue 25: 2 cores at load 10 ran at 2.9 tokens/s with 2 threads, 237 with 1.
    expect(chooseThreads(2, 2, 10)).toBe(1);
    expect(chooseThreads(8, 8, 4)).toBe(4);
    // Hyper-threads left idle by others do not add threads beyond the physical cores.
    expect(chooseThreads(8, 16, 2)).toBe(8);
    expect(chooseThreads(8, 16, 12)).toBe(4);
  });

  it('keeps the user setting whatever the load', () => {
    const governor = new ThreadGovernor(4, 3, 8);
    expect(governor.ceiling).toBe(3);
    expect(governor.next()).toEqual({ threads: 3, reason: 'jan.engine.threads' });
  });

  it('chooses from the cores and the load when there is no setting, and says why', () => {
    const governor = new ThreadGovernor(2, undefined, 2);
    expect(governor.ceiling).toBe(2);
    const choice = governor.current;
    expect(choice.threads).toBeGreaterThanOrEqual(1);
    expect(choice.threads).toBeLessThanOrEqual(2);
    expect(choice.reason).toMatch(/2 physical cores/);
  });
});

describe('the slow-reply hint', () => {
  const result = {
    finishReason: 'stop' as const,
    promptTokens: 100,
    cachedPromptTokens: 0,
    completionTokens: 40,
    promptMs: 100,
    threads: 2,
    threadsReason: '2 physical cores, load 10.2, other programs ≈ 10.2 cores',
  };

  it('names the threads, why that many and the setting for a slow reply', () => {
    const hint = slowReplyHint({ ...result, generationMs: 13_000 }, 'the CPU');
    expect(hint).toMatch(/^Slow reply: 3 tokens\/s on the CPU with 2 CPU threads \(2 physical cores, load 10\.2/);
    expect(hint).toMatch(/jan\.engine\.threads/);
  });

  it('says nothing for a fast or a short reply', () => {
    expect(slowReplyHint({ ...result, generationMs: 1000 }, 'the CPU')).toBeUndefined();
    expect(slowReplyHint({ ...result, completionTokens: 4, generationMs: 10_000 }, 'the CPU')).toBeUndefined();
  });
});
