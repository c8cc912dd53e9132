import type { LlamaContextSequence, Token } from 'node-llama-cpp';

/** Shifting is worth it for at least this many tokens kept after the dropped range (fewer: evaluate them). */
const MIN_KEPT_TOKENS = 32;
/** Tokens of the new prompt that must match where the kept part of the sequence starts. */
const ANCHOR_TOKENS = 8;

export interface DroppedRange {
  /** The range of the sequence's tokens the new prompt leaves out. */
  start: number;
  end: number;
  /** Tokens after it that the new prompt continues with. */
  kept: number;
}

/**
 * Where the new prompt is the sequence's tokens with one range left out: their common prefix,
 * then a run of the sequence's later tokens. That is what the core does to a thread past its
 * context (src/core/conversation-request.ts drops the oldest turns after the instructions), so
 * the turns it keeps are already in the KV cache, only at later positions.
 */
export function droppedRange(held: readonly Token[], next: readonly Token[]): DroppedRange | undefined {
  let prefix = 0;
  while (prefix < held.length && prefix < next.length && held[prefix] === next[prefix]) prefix++;
  if (prefix === held.length || prefix === next.length) return undefined;
  const anchor = Math.min(ANCHOR_TOKENS, next.length - prefix);
  for (let start = prefix + 1; start + anchor <= held.length; start++) {
    if (!sameRun(held, start, next, prefix, anchor)) continue;
    let kept = anchor;
    while (start + kept < held.length && prefix + kept < next.length && held[start + kept] === next[prefix + kept])
      kept++;
    if (kept >= MIN_KEPT_TOKENS) return { start: prefix, end: start, kept };
  }
  return undefined;
}

/**
 * Before a turn: when its prompt drops a range of what the sequence holds, erase that range
 * from the KV cache and shift the rest back (node-llama-cpp's eraseContextTokenRanges; llama.cpp
 * re-rotates the kept keys), so the kept turns are not evaluated again. Only the turn's new
 * tokens are. Models whose cache cannot shift (recurrent, DeepSeek 2's, as node-llama-cpp's own
 * adaptStateToTokens decides) are left to the prefix match.
 */
export async function shiftForPrompt(sequence: LlamaContextSequence, prompt: readonly Token[]): Promise<void> {
  const insights = sequence.model.fileInsights;
  if (insights.isRecurrent || sequence.model.fileInfo.metadata.general?.architecture === 'deepseek2') return;
  const range = droppedRange(sequence.contextTokens, prompt);
  if (range) await sequence.eraseContextTokenRanges([{ start: range.start, end: range.end }]);
}

function sameRun(a: readonly Token[], aStart: number, b: readonly Token[], bStart: number, length: number): boolean {
  for (let index = 0; index < length; index++) if (a[aStart + index] !== b[bStart + index]) return false;
  return true;
}
