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
 * when the sequence is made, hence this switch, turned per turn by `usePromptLookup`.
 */
export class PromptLookup extends TokenPredictor {
  // A draft starts only after 3 tokens matched the prompt, so a word that merely recurs drafts nothing.
  private readonly lookup = new InputLookupTokenPredictor({ patternLength: { min: 3 }, predictionLength: { max: 6 } });
  private enabled = false;
  /** This turn's drafted tokens the model kept and those it refuted, and the draft being checked. */
  private kept = 0;
  private refuted = 0;
  private pending: Token[] = [];

  /** Turns drafting on or off for the next turn, whose counts start again. */
  set active(enabled: boolean) {
    this.enabled = enabled;
    this.kept = 0;
    this.refuted = 0;
    this.pending = [];
  }

  reset(params: {
    targetSequence: LlamaContextSequence;
    stateTokens: Token[];
    evaluateOptions: Readonly<SequenceEvaluateOptions>;
  }): void {
    this.pending = [];
    this.lookup.reset(params);
  }

  override updateInputTokens(tokens: Token[]): void {
    this.lookup.updateInputTokens(tokens);
  }

  pushTokens(tokens: Token[]): void {
    for (const token of tokens) {
      if (this.pending.length === 0) continue;
      if (this.pending[0] === token) {
        this.kept += 1;
        this.pending.shift();
      } else {
        this.refuted += this.pending.length;
        this.pending = [];
      }
    }
    this.lookup.pushTokens(tokens);
  }

  predictTokens(): Token[] {
    if (!this.enabled || this.givenUp()) return [];
    const drafted = this.lookup.predictTokens();
    this.pending = [...drafted];
    return drafted;
  }

  override dispose(): void {
    this.lookup.dispose();
  }

  /**
   * A reply that does not copy from its prompt stops drafting for the rest of the turn: checking
   * drafts in batches also reorders the floating-point sums, which may flip a near tie, so the
   * fewer batches the better, besides the work they waste.
   */
  private givenUp(): boolean {
    const drafted = this.kept + this.refuted;
    return drafted >= GIVE_UP_AFTER_DRAFTS && this.kept / drafted < MIN_KEPT_SHARE;
  }
}

/** Whether a chat turn's reply is likely to copy from its prompt (see PromptLookup). */
export function usePromptLookup(messages: ArgsOf<'chat'>['messages']): boolean {
  const lastUser = messages.findLast((message) => message.role === 'user');
  return lastUser !== undefined && CODE_FENCE.test(lastUser.content);
}

type Predictions = LlamaContextSequence['tokenPredictions'];

/** The drafts of one turn, from the sequence's counts before and after it; nothing when none was drafted. */
export function draftCounts(
  before: Predictions,
  after: Predictions,
): { draftTokens?: number; acceptedDraftTokens?: number } {
  const accepted = after.validated - before.validated;
  const drafted = accepted + after.refuted - before.refuted;
  return drafted > 0 ? { draftTokens: drafted, acceptedDraftTokens: accepted } : {};
}
