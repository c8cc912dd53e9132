import { tokensPerSecond } from './chat-stream';
import type { ResultOf } from './rpc/methods';

/** Replies slower than this are worth a hint: a 1–8B model on a laptop CPU writes 5–50 tokens/s. */
const SLOW_TOKENS_PER_SECOND = 5;
/** A reply this short says little about speed (the first tokens pay for warming up). */
const MIN_TOKENS = 16;

/**
 * The log hint for a slow reply: the threads it ran with and why, and the setting that changes
 * them. On a busy machine llama.cpp's threads wait for each other, so the count matters most.
 */
export function slowReplyHint(result: ResultOf<'chat'>, backend: string): string | undefined {
  const speed = tokensPerSecond(result);
  if (speed === undefined || speed >= SLOW_TOKENS_PER_SECOND || result.completionTokens < MIN_TOKENS) return undefined;
  const threads =
    result.threads === undefined
      ? ''
      : ` with ${result.threads} CPU threads (${result.threadsReason ?? 'jan.engine.threads'})`;
  return (
    `Slow reply: ${speed} tokens/s on ${backend}${threads}. On a busy machine fewer threads are faster: ` +
    'jan.engine.threads sets the count (0, the default, chooses it before each reply from the physical cores and the load); ' +
    'a smaller model or quantization is faster too.'
  );
}
