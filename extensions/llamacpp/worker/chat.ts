import type { ChatHistoryItem, ChatModelFunctions, Token } from 'node-llama-cpp';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import type { CallContext } from '../rpc/server';
import { WorkerError } from '../rpc/server';
import { shiftForPrompt } from './context-shift';
import { toHistory } from './history';
import { draftCounts, usePromptLookup } from './prompt-lookup';
import type { LoadedModel } from './loaded-model';
import { finishReasonOf, generationOptions } from './sampling';
import { StopText } from './stop-text';
import { TextBatcher } from './text-batcher';
import { prepareToolTurn } from './tool-turn';

/**
 * One chat turn on the thread's sequence of the model's chat pool. The history is rendered with
 * the chat wrapper node-llama-cpp picked from the GGUF's template. The sequence keeps its KV
 * cache between calls (or is restored from the thread's saved state) and llama.cpp evaluates
 * only the tokens after the longest prefix it already holds: the next turn of a thread costs
 * only its new tokens.
 */
export function runChat(
  loaded: LoadedModel,
  args: ArgsOf<'chat'>,
  context: CallContext<'chat'>,
): Promise<ResultOf<'chat'>> {
  return loaded.chatLock.run(async () => {
    const started = performance.now();
    let firstTokenAt: number | undefined;
    let completionTokens = 0;
    let stopReason = 'abort';
    const history = toHistory(args.messages);
    const batcher = new TextBatcher((text) => context.emit({ text }));
    const acquired = await loaded.chats.acquire(args.sessionKey);
    const tools = await prepareToolTurn(loaded.model.llama, acquired.chat, args, {
      generating: () => (firstTokenAt ??= performance.now()),
      call: (toolCall, tokens) => {
        completionTokens += tokens;
        batcher.flush();
        context.emit({ toolCall });
      },
    });
    const prompt = renderedPromptTokens(loaded, history, tools.documented);
    const promptTokens = prompt.length;
    const room = loaded.info.contextSize - promptTokens;
    // A prompt that does not fit is refused, never cut silently (the editor fits its history itself).
    if (room <= 0) {
      tools.dispose();
      throw new WorkerError(
        'CONTEXT_TOO_LONG',
        `The prompt has ${promptTokens} tokens; model "${loaded.id}" has a context of ${loaded.info.contextSize}, which must also hold the reply.`,
      );
    }
    const { chat } = tools;
    const { lookup } = acquired;
    const sequence = chat.sequence;
    lookup?.begin(usePromptLookup(args.messages), sequence);
    const draftsBefore = sequence.tokenPredictions;
    // Past the context, the kept turns move instead of being evaluated again (the meter counts the move as input: not metered here).
    await shiftForPrompt(sequence, prompt);
    const meterBefore = sequence.tokenMeter.getState();

    const stop = new StopText(args.sampling.stop);
    const stopped = new AbortController();
    const signal = AbortSignal.any([context.signal, stopped.signal]);
    // The reply ends where the context does: usage never exceeds it and the prompt is never shifted out.
    const maxTokens = Math.min(args.sampling.maxTokens ?? room, room);
    let failure: unknown;
    if (!context.signal.aborted) {
      try {
        const response = await chat.generateResponse(history, {
          ...generationOptions({ ...args.sampling, maxTokens }, sequence.contextSize),
          ...tools.options,
          signal,
          stopOnAbortSignal: true,
          onToken: (tokens) => {
            firstTokenAt ??= performance.now();
            completionTokens += tokens.length;
          },
          onTextChunk: (text) => {
            batcher.push(stop.push(text));
            if (stop.stopped) stopped.abort();
          },
        });
        stopReason = response.metadata.stopReason;
      } catch (error) {
        if (tools.recovered(error)) stopReason = 'functionCalls';
        // Cancelled before the first token: node-llama-cpp throws the abort reason instead of returning.
        else if (!signal.aborted) failure = error;
      } finally {
        batcher.push(stop.flush());
        batcher.flush();
      }
    }
    tools.dispose();
    if (failure) throw failure;
    const ended = performance.now();
    // What llama.cpp really evaluated, from the sequence's token meter: it counts a decoded token
    // as "output" when its logits were read, which for the prompt is only its last token.
    const metered = sequence.tokenMeter.diff(meterBefore);
    const evaluatedPrompt =
      metered.usedOutputTokens > 0 ? Math.min(promptTokens, metered.usedInputTokens + 1) : promptTokens;
    return {
      finishReason: stop.stopped ? 'stop' : finishReasonOf(stopReason),
      promptTokens,
      cachedPromptTokens: promptTokens - evaluatedPrompt,
      completionTokens,
      promptMs: (firstTokenAt ?? ended) - started,
      generationMs: firstTokenAt === undefined ? 0 : ended - firstTokenAt,
      ...draftCounts(draftsBefore, sequence.tokenPredictions),
    };
  });
}

/**
 * The tokens of the prompt the chat template renders for this history and these documented
 * tools (the same rendering the reply is generated from).
 */
export function renderedPromptTokens(
  loaded: LoadedModel,
  history: ChatHistoryItem[],
  functions?: ChatModelFunctions,
): Token[] {
  return loaded.chats.chatWrapper
    .generateContextState({ chatHistory: history, availableFunctions: functions, documentFunctionParams: true })
    .contextText.tokenize(loaded.model.tokenizer);
}
