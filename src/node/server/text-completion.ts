import type { CompletionRequest, CompletionResult, ModelChoice } from '@jan/core';
import type { ApiContext } from './context';

/** A completion as a client asks for it (`/v1/completions`, `/completion`, `/infill`). */
export type TextCompletionRequest = Omit<CompletionRequest, 'model' | 'whole_prompt' | 'time_limit_ms'>;

export interface FinishedCompletion {
  result: CompletionResult;
  /** Tokens of the prompt as the model saw it. */
  promptTokens: number;
}

/**
 * Runs a completion on the prompt exactly as sent (`whole_prompt`: never cut, refused when it
 * does not fit) and yields its text piece by piece as the engine streams it, then returns the
 * result. The first piece is awaited before anything is written, so a failure before any text
 * is a real HTTP error.
 */
export async function* completionPieces(
  context: ApiContext,
  choice: ModelChoice,
  request: TextCompletionRequest,
  signal: AbortSignal,
): AsyncGenerator<string, FinishedCompletion> {
  const pieces: string[] = [];
  let streamed = '';
  let wake: (() => void) | undefined;
  let outcome: { result: CompletionResult } | { error: unknown } | undefined;
  void context.inference
    .complete(choice, { ...request, whole_prompt: true }, signal, {
      stopWhen: (text) => {
        if (text.length > streamed.length) {
          pieces.push(text.slice(streamed.length));
          streamed = text;
          wake?.();
        }
        return false;
      },
    })
    .then(
      (result) => (outcome = { result }),
      (error: unknown) => (outcome = { error }),
    )
    .finally(() => wake?.());
  for (;;) {
    if (pieces.length > 0) {
      yield pieces.splice(0).join('');
      continue;
    }
    if (outcome) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  if ('error' in outcome) throw outcome.error;
  const { result } = outcome;
  // An engine that does not stream (a remote one) gives its text only in the result.
  if (result.text.length > streamed.length && result.text.startsWith(streamed))
    yield result.text.slice(streamed.length);
  const promptTokens = result.prompt_tokens || (await countPrompt(context, choice, request));
  return { result, promptTokens };
}

async function countPrompt(context: ApiContext, choice: ModelChoice, request: TextCompletionRequest): Promise<number> {
  const engine = context.inference.engine(choice);
  if (!engine.countTokens) return 0;
  const texts = [request.extra, request.prefix, request.suffix].filter((text): text is string => !!text);
  const counts = await Promise.all(texts.map((text) => engine.countTokens!(choice.id, text)));
  return counts.reduce((sum, count) => sum + count, 0);
}
