import { newId } from '@jan/core';
import type { ChatCompletionChunk, ChatCompletionRequest, FinishReason } from '@jan/core';
import type { ChunkOf, ResultOf, Sampling } from './rpc/methods';
import type { WorkerHandle } from './worker-handle';
import { workerRequest } from './worker-messages';

/** After a cancel, how long the worker gets to confirm it stopped before it is ended. */
const CANCEL_GRACE_MS = 5000;

export interface ChatRunHooks {
  /** The worker's account of a run that finished or was stopped. */
  finished(result: ResultOf<'chat'>): void;
  /** The worker did not confirm a cancel in time and must be replaced. */
  unresponsive(): Promise<void>;
}

/**
 * Streams one chat call of the worker as OpenAI chunks. Text that arrives while the consumer is
 * busy is merged into one chunk; a tool call arrives whole (its arguments complete under the
 * grammar) as one `delta.tool_calls` piece with its id. Once `signal` aborts, nothing more is yielded: the worker is
 * told to cancel and the stream ends when it confirms, so the next turn never queues behind a
 * generation that is still running.
 */
export async function* streamChat(
  worker: Pick<WorkerHandle, 'call'>,
  request: ChatCompletionRequest,
  signal: AbortSignal | undefined,
  hooks: ChatRunHooks,
): AsyncGenerator<ChatCompletionChunk> {
  const id = `chatcmpl-${newId()}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (
    delta: ChatCompletionChunk['choices'][0]['delta'],
    finishReason: FinishReason = null,
  ): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: request.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });

  const cancel = new AbortController();
  const queue: Array<ChunkOf<'chat'>> = [];
  let calls = 0;
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  let outcome: { result: ResultOf<'chat'> } | { error: unknown } | undefined;
  const call = worker
    .call(
      'chat',
      {
        modelId: request.model,
        ...workerRequest(request),
        sampling: samplingOf(request),
        sessionKey: request.session_key,
      },
      {
        signal: cancel.signal,
        onChunk: (item) => {
          queue.push(item);
          poke();
        },
      },
    )
    .then(
      (result) => (outcome = { result }),
      (error: unknown) => (outcome = { error }),
    )
    .finally(poke);
  signal?.addEventListener('abort', poke);

  try {
    let first = true;
    for (;;) {
      if (signal?.aborted) break;
      if (queue.length > 0) {
        const next = queue[0]!;
        let delta: ChatCompletionChunk['choices'][0]['delta'];
        if ('toolCall' in next) {
          queue.shift();
          const { name, arguments: args } = next.toolCall;
          const call = { index: calls++, id: `call_${newId()}`, type: 'function' as const };
          delta = { tool_calls: [{ ...call, function: { name, arguments: args } }] };
        } else {
          const texts: string[] = [];
          while (queue[0] && 'text' in queue[0]) texts.push((queue.shift() as { text: string }).text);
          delta = { content: texts.join('') };
        }
        yield chunk(first ? { role: 'assistant', ...delta } : delta);
        first = false;
        continue;
      }
      if (outcome) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }

    if (signal?.aborted) {
      cancel.abort();
      const confirmed = await Promise.race([call.then(() => true), delay(CANCEL_GRACE_MS).then(() => false)]);
      if (!confirmed) await hooks.unresponsive();
      else if (outcome && 'result' in outcome) hooks.finished(outcome.result);
      return;
    }
    if (!outcome || 'error' in outcome) throw outcome?.error;
    const result = outcome.result;
    hooks.finished(result);
    yield {
      ...chunk({}, result.finishReason),
      usage: {
        prompt_tokens: result.promptTokens,
        completion_tokens: result.completionTokens,
        total_tokens: result.promptTokens + result.completionTokens,
        prompt_tokens_details: { cached_tokens: result.cachedPromptTokens },
      },
      timings: {
        prompt_n: result.promptTokens - result.cachedPromptTokens,
        prompt_ms: result.promptMs,
        predicted_n: result.completionTokens,
        predicted_ms: result.generationMs,
        predicted_per_second: tokensPerSecond(result),
        ...(result.draftTokens === undefined
          ? {}
          : { draft_n: result.draftTokens, draft_n_accepted: result.acceptedDraftTokens ?? 0 }),
      },
    };
  } finally {
    signal?.removeEventListener('abort', poke);
    // The consumer may leave the loop early (break, throw): the worker must not keep generating.
    if (!outcome) cancel.abort();
  }
}

export function tokensPerSecond(result: ResultOf<'chat'>): number | undefined {
  // The first token's time belongs to the prompt; speed is measured over the tokens after it.
  if (result.completionTokens < 2 || result.generationMs <= 0) return undefined;
  return Math.round(((result.completionTokens - 1) / result.generationMs) * 1000 * 10) / 10;
}

function samplingOf(request: ChatCompletionRequest): Sampling {
  return {
    temperature: request.temperature,
    topP: request.top_p,
    topK: request.top_k,
    maxTokens: request.max_tokens,
    stop: request.stop,
    seed: request.seed,
    frequencyPenalty: request.frequency_penalty,
    presencePenalty: request.presence_penalty,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
