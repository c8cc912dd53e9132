import { InputLookupTokenPredictor, TokenPredictor } from 'node-llama-cpp';
import type { LlamaContextSequence, SequenceEvaluateOptions, Token } from 'node-llama-cpp';
import type { ArgsOf } from '../rpc/methods';

/** A fenced code block: the user's message carries code the reply will likely copy or edit. */
const CODE_FENCE = /^\s*(```|~~~)/m;

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
  private readonly lookup = new InputLookupTokenPredictor();
  private enabled = false;

  /** Whether this turn drafts; the counts of drafted tokens are the sequence's `tokenPredictions`. */
  set active(enabled: boolean) {
    this.enabled = enabled;
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
    return this.enabled ? this.lookup.predictTokens() : [];
  }

  override dispose(): void {
    this.lookup.dispose();
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
