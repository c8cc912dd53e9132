/** Runs a `CodeEdit` through the one inference path, streaming the new text of the range as it grows. */
import { openingText, readCode } from './code-answer';
import type { CodeOpening } from './code-answer';
import type { CodeEdit } from './code-edit';
import { EngineError } from './engines';
import type { InferenceService } from './inference';
import type { Logger } from './logger';
import { errorMessage } from './logger';
import type { ModelChoice } from './model-choice';
import { logReply } from './reply-log';
import type { ChatCompletionChunk, ChatMessage } from './types';

export interface CodeEditProgress {
  /** Tokens generated so far, of at most `maxTokens`. */
  tokens: number;
  maxTokens: number;
  /** The range's new text so far, when it changed with this token. */
  replacement?: string;
}

export type CodeEditOutcome =
  /** The model finished its code (closed the block, or ended). */
  | { status: 'complete'; replacement: string; tokens: number; maxTokens: number }
  /**
   * The user stopped it, or it reached `maxTokens`, before the code was finished: its whole lines
   * so far, then the rest of the original (`withOriginalRest`); undefined when no line was written.
   */
  | {
      status: 'incomplete';
      reason: 'stopped' | 'limit';
      replacement: string | undefined;
      tokens: number;
      maxTokens: number;
    }
  | { status: 'no-code'; tokens: number; maxTokens: number };

export interface CodeEditOptions {
  /** The user's Stop. */
  signal?: AbortSignal;
  logger: Logger;
  onProgress?: (progress: CodeEditProgress) => void;
}

interface Attempt {
  answer: string;
  tokens: number;
  /** The edit's limit, or less when the model's context has less room left after the prompt. */
  maxTokens: number;
  cut: boolean;
  closed: boolean;
}

/**
 * Streams the edit and ends it as soon as the code block closes (what a model writes after its
 * code is not wanted, and costs tokens). A server that refuses the opened block (an assistant
 * turn last is a 400 on some APIs) is asked again without it, and then only a fenced block is code.
 */
export async function runCodeEdit(
  inference: InferenceService,
  model: ModelChoice,
  edit: CodeEdit,
  options: CodeEditOptions,
): Promise<CodeEditOutcome> {
  let tokensSeen = 0;
  const attempt = (opening: CodeOpening | undefined) =>
    stream(inference, model, edit, opening, options, (tokens) => (tokensSeen = tokens));
  let opening: CodeOpening | undefined = edit.opening;
  let result: Attempt;
  try {
    result = await attempt(opening);
  } catch (error) {
    const refused = error instanceof EngineError && error.code === 'INVALID_REQUEST';
    if (!refused || tokensSeen > 0 || options.signal?.aborted) throw error;
    options.logger.info(
      `${edit.what}: ${model.id} refused the opened code block (${errorMessage(error)}); asking again without it.`,
    );
    opening = undefined;
    result = await attempt(opening);
  }
  return outcome(edit, result, opening, options.signal?.aborted === true && !result.closed);
}

function outcome(edit: CodeEdit, result: Attempt, opening: CodeOpening | undefined, stopped: boolean): CodeEditOutcome {
  const { tokens, maxTokens } = result;
  if (stopped || result.cut) {
    const { code } = readCode(result.answer, opening, false);
    const replacement = code.trim() ? edit.replacement(code, true) : undefined;
    return { status: 'incomplete', reason: stopped ? 'stopped' : 'limit', replacement, tokens, maxTokens };
  }
  const { code } = readCode(result.answer, opening, true);
  if (!code.trim()) return { status: 'no-code', tokens, maxTokens };
  return { status: 'complete', replacement: edit.replacement(code, false), tokens, maxTokens };
}

/** Fewer tokens than this left for the answer (or than the edit's limit, if smaller): it cannot be written. */
const MIN_ANSWER_TOKENS = 64;

/**
 * The tokens the answer may take: the edit's limit, or the room the model's context has after the
 * prompt, so that llama.cpp never shifts the context mid-answer (dropping the start of the code it
 * rewrites, and every token of the prompt the KV cache held). Engines that do not tell (remote
 * ones) get the limit.
 */
async function answerRoom(
  inference: InferenceService,
  model: ModelChoice,
  messages: ChatMessage[],
  limit: number,
  signal: AbortSignal,
): Promise<number> {
  const engine = await inference.prepare(model, undefined, signal);
  const context = engine.contextSize?.(model.id);
  if (!context || !engine.countChatTokens) return limit;
  const prompt = await engine.countChatTokens(model.id, messages);
  if (context - prompt < Math.min(limit, MIN_ANSWER_TOKENS)) {
    throw new EngineError(
      'CONTEXT_TOO_LONG',
      `The code and the instruction take ${prompt} of the ${context} tokens ${model.id} holds, leaving no room for the answer. Select less code, or raise "jan.engine.contextSize".`,
    );
  }
  return Math.min(limit, context - prompt);
}

async function stream(
  inference: InferenceService,
  model: ModelChoice,
  edit: CodeEdit,
  opening: CodeOpening | undefined,
  options: CodeEditOptions,
  counted: (tokens: number) => void,
): Promise<Attempt> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  const startedAt = Date.now();
  let firstTokenAt: number | undefined;
  let usage: ChatCompletionChunk['usage'];
  const result: Attempt = { answer: '', tokens: 0, maxTokens: edit.maxTokens, cut: false, closed: false };
  let shown: string | undefined;
  const messages = opening
    ? [...edit.messages, { role: 'assistant' as const, content: openingText(opening) }]
    : edit.messages;
  try {
    result.maxTokens = await answerRoom(inference, model, messages, edit.maxTokens, controller.signal);
    for await (const chunk of inference.chat(
      model,
      { messages, stream: true, max_tokens: result.maxTokens },
      controller.signal,
    )) {
      const choice = chunk.choices[0];
      const delta = choice?.delta.content ?? '';
      usage = chunk.usage ?? usage;
      if (choice?.finish_reason === 'length') result.cut = true;
      if (!delta) continue;
      firstTokenAt ??= Date.now();
      result.answer += delta;
      result.tokens += 1;
      counted(result.tokens);
      const read = readCode(result.answer, opening, false);
      if (read.closed) {
        result.closed = true;
        result.cut = false;
        controller.abort();
        break;
      }
      const replacement = read.code.trim() ? edit.replacement(read.code, true) : undefined;
      const changed = replacement !== undefined && replacement !== shown;
      if (changed) shown = replacement;
      options.onProgress?.({
        tokens: result.tokens,
        maxTokens: result.maxTokens,
        replacement: changed ? replacement : undefined,
      });
    }
  } catch (error) {
    // A Stop during the load or before the stream began ends it like a Stop during the stream.
    if (!(controller.signal.aborted && error instanceof EngineError && error.code === 'ABORTED')) throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  // Chunks can carry several tokens: the engine's own count, when it gives one, is the count.
  result.tokens = usage?.completion_tokens ?? result.tokens;
  logReply(options.logger, {
    what: edit.what,
    modelId: model.id,
    status: options.signal?.aborted && !result.closed ? 'stopped' : 'ready',
    completionTokens: result.tokens,
    promptTokens: usage?.prompt_tokens,
    cachedPromptTokens: usage?.prompt_tokens_details?.cached_tokens,
    startedAt,
    firstTokenAt,
    finishedAt: Date.now(),
  });
  return result;
}
