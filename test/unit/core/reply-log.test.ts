import { describe, expect, it } from 'vitest';
import { logReply, MemoryLogger, SLOW_FIRST_TOKEN_MS, SLOW_REPLY_MS } from '@jan/core';

const base = { what: 'Reply in thread t1', modelId: 'qwen', completionTokens: 40, startedAt: 0 };

describe('logReply', () => {
  it('a finished reply: tokens, time, speed, prompt and first token at info', () => {
    const logger = new MemoryLogger();
    logReply(logger, {
      ...base,
      status: 'ready',
      promptTokens: 300,
      cachedPromptTokens: 250,
      firstTokenAt: 500,
      finishedAt: 2500,
    });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message:
          'Reply in thread t1 from qwen: 40 tokens in 2.5 s, 20.0 tok/s; prompt 300 tokens (250 cached); first token after 500 ms.',
      },
    ]);
  });

  it('a cancel at info', () => {
    const logger = new MemoryLogger();
    logReply(logger, { ...base, status: 'stopped', completionTokens: 7, firstTokenAt: 100, finishedAt: 1200 });
    expect(logger.lines).toEqual([
      { level: 'info', message: 'Reply in thread t1: stopped by the user after 7 tokens (1.2 s).' },
    ]);
  });

  it('a slow first token and a slow reply as warnings', () => {
    const logger = new MemoryLogger();
    logReply(logger, {
      ...base,
      status: 'ready',
      promptTokens: 3000,
      firstTokenAt: SLOW_FIRST_TOKEN_MS + 1000,
      finishedAt: SLOW_REPLY_MS + 5000,
    });
    expect(logger.messages('warn')).toEqual([
      'Reply in thread t1 from qwen: slow start, the first token came after 16.0 s for a 3000-token prompt (loading the model, or a long prompt on a slow CPU).',
      'Reply in thread t1 from qwen: slow reply, 125.0 s for 40 tokens (a lower max tokens setting stops it sooner).',
    ]);
  });

  it('a failure is left to where it is handled', () => {
    const logger = new MemoryLogger();
    logReply(logger, { ...base, status: 'error', finishedAt: 1000 });
    expect(logger.lines).toEqual([]);
  });
});
