import { InputLookupTokenPredictor, TokenPredictor } from 'node-llama-cpp';
import type { LlamaContextSequence, SequenceEvaluateOptions, Token } from 'node-llama-cpp';
import type { ArgsOf } from '../rpc/methods';

/** A fenced code block: the user's message carries code the reply will likely copy or edit. */
const CODE_FENCE = /^\s*(```|~~~)/m;
/** After this many drafted tokens in a turn, drafting stops if fewer than MIN_KEPT_SHARE of them were kept. */
const GIVE_UP_AFTER_DRAFTS = 24;
const MIN_KEPT_SHARE = 0.3;

/**
 * Prompt-lookup speculative decoding (node-llama-cpp's InputLookupTokenPredictor) for the turns
 * whose reply copies from the prompt: Fix / Document / Refactor and edit-heavy chat replies, i.e.
 * a turn whose last user message holds a fenced code block. The predictor drafts the tokens that
 * followed the last generated ones in the prompt; llama.cpp checks the drafts in one batch and
 * keeps those the model itself would have chosen, so the output is the same as without it. Other
 * turns draft nothing (a refuted draft is wasted work on a CPU). A sequence's predictor is set
 * when the sequence is made, hence this switch, turned per turn (`begin`) by `usePromptLookup`.
 */
export class PromptLookup extends TokenPredictor {
  // A draft starts only after 3 tokens matched the prompt, so a word that merely recurs drafts nothing.
  private readonly lookup = new InputLookupTokenPredictor({ patternLength: { min: 3 }, predictionLength: { max: 6 } });
  private enabled = false;
  /** The sequence this predictor drafts for, and its counts of checked drafts when the turn began. */
  private sequence: LlamaContextSequence | undefined;
  private before: Predictions | undefined;

  /** Turns drafting on or off for the turn that begins on `sequence`; its counts start from here. */
  begin(enabled: boolean, sequence: LlamaContextSequence): void {
    this.enabled = enabled;
    this.sequence = sequence;
    this.before = sequence.tokenPredictions;
  }

  reset(params: {
    targetSequence: LlamaContextSequence;
    stateTokens: Token[];
    evaluateOptions: Readonly<SequenceEvaluateOptions>;
  }): void {
    this.lookup.reset(params);
  }

  override updateInputTokens(tokens: Token[]): void {
    this.lookup.updateInputTokens(tokens);
  }

  pushTokens(tokens: Token[]): void {
    this.lookup.pushTokens(tokens);
  }

  predictTokens(): Token[] {
    if (!this.enabled || this.givenUp()) return [];
    return this.lookup.predictTokens();
  }

  override dispose(): void {
    this.lookup.dispose();
  }

  /**
   * A reply that does not copy from its prompt stops drafting for the rest of the turn: checking
   * drafts in batches also reorders the floating-point sums, which may flip a near tie, so the
   * fewer batches the better, besides the work they waste. Counted by the sequence itself
   * (node-llama-cpp's validated and refuted drafts).
   */
  private givenUp(): boolean {
    if (!this.sequence || !this.before) return false;
    const { drafted, kept } = draftsSince(this.before, this.sequence.tokenPredictions);
    return drafted >= GIVE_UP_AFTER_DRAFTS && kept / drafted < MIN_KEPT_SHARE;
  }
}

/** Whether a chat turn's reply is likely to copy from its prompt (see PromptLookup). */
export function usePromptLookup(messages: ArgsOf<'chat'>['messages']): boolean {
  const lastUser = messages.findLast((message) => message.role === 'user');
  return lastUser !== undefined && CODE_FENCE.test(lastUser.content);
}

type Predictions = LlamaContextSequence['tokenPredictions'];

function draftsSince(before: Predictions, after: Predictions): { drafted: number; kept: number } {
  const kept = after.validated - before.validated;
  return { drafted: kept + after.refuted - before.refuted, kept };
}

/** The drafts of one turn, from the sequence's counts before and after it; nothing when none was drafted. */
export function draftCounts(
  before: Predictions,
  after: Predictions,
): { draftTokens?: number; acceptedDraftTokens?: number } {
  const { drafted, kept } = draftsSince(before, after);
  return drafted > 0 ? { draftTokens: drafted, acceptedDraftTokens: kept } : {};
}
