import { completionStop, contextOfPrompt } from '@jan/core';
import type { Token } from 'node-llama-cpp';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import type { CallContext } from '../rpc/server';
import { WorkerError } from '../rpc/server';
import { budgetPrompt } from './completion-prompt';
import type { LoadedModel } from './loaded-model';
import { finishReasonOf, generationOptions } from './sampling';
import { StopText } from './stop-text';
import { TextBatcher } from './text-batcher';

/** Tokens kept free in the completion context besides the reply: the FIM and beginning-of-text tokens. */
const SPECIAL_TOKENS = 8;

/**
 * Fill-in-the-middle with the model's FIM tokens (node-llama-cpp's infill). A model without
 * them still completes: it continues the prefix, which is what the editor needs most. The prompt
 * is budgeted in tokens here (completion-prompt.ts); the text streams as it comes, so the host
 * can stop it early, and with the document's language the worker stops itself at the token where
 * the completion rules end the suggestion (a line completed, a block closed). The time limit
 * covers the whole request from its arrival: what is ready when it passes is returned (prompt
 * evaluation cannot be interrupted; after it, generation stops at once).
 */
export function runCompletion(
  loaded: LoadedModel,
  args: ArgsOf<'complete'>,
  context: CallContext<'complete'>,
): Promise<ResultOf<'complete'>> {
  const arrived = performance.now();
  return loaded.completionLock.run(async () => {
    const { completion, sequence } = await loaded.completion();
    // A whole prompt without a suffix is text to continue, not a middle to fill.
    const infill = completion.infillSupported && !(args.wholePrompt && args.suffix === '');
    const empty = {
      text: '',
      finishReason: 'abort' as const,
      tokens: 0,
      infill,
      promptTokens: 0,
      cachedPromptTokens: 0,
    };
    const remainingMs = args.timeLimitMs === undefined ? undefined : args.timeLimitMs - (performance.now() - arrived);
    if (context.signal.aborted) return empty;
    if (remainingMs !== undefined && remainingMs <= 0) return { ...empty, finishReason: 'length' as const };
    const contextSize = sequence.contextSize;
    const tokenize = (text: string) => loaded.model.tokenize(text);
    const { prompt, maxTokens } = args.wholePrompt
      ? wholePrompt(loaded.id, tokenize, args, contextSize)
      : editorPrompt(tokenize, args, contextSize);
    const reserve = maxTokens + SPECIAL_TOKENS;

    const stop = new AbortController();
    const signal = AbortSignal.any([context.signal, stop.signal]);
    const stopText = new StopText(args.sampling.stop);
    let text = '';
    let timedOut = false;
    const timer =
      remainingMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop.abort();
          }, remainingMs);
    let tokens = 0;
    let promptTokens = 0;
    let ruled = false;
    const rules = args.rules && {
      prompt: contextOfPrompt(args.prefix, args.suffix, args.rules.languageId),
      maxLines: args.rules.maxLines,
    };
    const meterBefore = sequence.tokenMeter.getState();
    const batcher = new TextBatcher((text) => context.emit({ text }));
    const options = {
      ...generationOptions({ ...args.sampling, maxTokens }, contextSize),
      signal,
      stopOnAbortSignal: true,
      // Room for the reply, so node-llama-cpp never shortens the prompt budgeted above.
      contextShiftSize: reserve,
      onToken: (generated: readonly unknown[]) => {
        if (tokens === 0) promptTokens = sequence.contextTokens.length;
        tokens += generated.length;
      },
      onTextChunk: (chunk: string) => {
        const passed = stopText.push(chunk);
        text += passed;
        batcher.push(passed);
        if (stopText.stopped) stop.abort();
        // Checked on every token: a host that stops the stream learns of it a batch and a message later.
        else if (rules && !ruled && completionStop(text, rules.prompt, rules.maxLines) !== undefined) {
          ruled = true;
          stop.abort();
        }
      },
    };
    try {
      const response = infill
        ? await completion.generateInfillCompletionWithMeta(prompt.prefix, prompt.suffix, options)
        : await completion.generateCompletionWithMeta(prompt.prefix, options);
      const metered = sequence.tokenMeter.diff(meterBefore);
      // As in chat.ts: the prompt's last token is metered as output, the rest as input.
      const evaluated =
        metered.usedOutputTokens > 0 ? Math.min(promptTokens, metered.usedInputTokens + 1) : promptTokens;
      const rest = stopText.flush();
      text += rest;
      batcher.push(rest);
      const reason =
        stopText.stopped || ruled ? 'stop' : timedOut ? 'length' : finishReasonOf(response.metadata.stopReason);
      return {
        text,
        finishReason: reason,
        tokens,
        infill,
        promptTokens,
        cachedPromptTokens: Math.max(0, promptTokens - evaluated),
      };
    } catch (error) {
      if (context.signal.aborted) return { ...empty, tokens };
      throw error;
    } finally {
      clearTimeout(timer);
      batcher.flush();
    }
  });
}

type Tokenize = (text: string) => Token[];

/** The editor's prompt: cut to fit, with at most a quarter of the context for the reply (completion-prompt.ts). */
function editorPrompt(tokenize: Tokenize, args: ArgsOf<'complete'>, contextSize: number) {
  const maxTokens = Math.max(1, Math.min(args.sampling.maxTokens ?? 128, Math.floor(contextSize / 4)));
  const prompt = budgetPrompt(
    tokenize,
    { prefix: args.prefix, suffix: args.suffix, extra: args.extra },
    contextSize - maxTokens - SPECIAL_TOKENS,
  );
  return { prompt, maxTokens };
}

/**
 * A client's prompt as it was sent (the API server): never cut; one that leaves no room for a
 * token is refused, and the reply may use all the room left.
 */
function wholePrompt(modelId: string, tokenize: Tokenize, args: ArgsOf<'complete'>, contextSize: number) {
  const prefix = [...(args.extra ? tokenize(args.extra) : []), ...tokenize(args.prefix)];
  const suffix = args.suffix ? tokenize(args.suffix) : [];
  const room = contextSize - prefix.length - suffix.length - SPECIAL_TOKENS;
  if (room <= 0) {
    throw new WorkerError(
      'CONTEXT_TOO_LONG',
      `The prompt has ${prefix.length + suffix.length} tokens; model "${modelId}" completes in a context of ${contextSize}, which must also hold the reply.`,
    );
  }
  return {
    prompt: { prefix, suffix },
    maxTokens: Math.min(args.sampling.maxTokens ?? room, room),
  };
}
