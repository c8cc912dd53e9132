import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '@jan/core';
import { streamChat, type ChatRunHooks } from '../../../extensions/llamacpp/chat-stream';
import type { ResultOf } from '../../../extensions/llamacpp/rpc/methods';
import type { WorkerHandle } from '../../../extensions/llamacpp/worker-handle';

type ChatResult = ResultOf<'chat'>;

/**
 * A worker that streams a word per call of `emit` and ends only when told to cancel: what the
 * stream does with the worker's cancel signal is then all there is to see.
 */
function endlessWorker() {
  const calls: Array<{ signal: AbortSignal | undefined; emit(text: string): void }> = [];
  const worker: Pick<WorkerHandle, 'call'> = {
    call: ((
      _method: 'chat',
      _args: unknown,
      options: { signal?: AbortSignal; onChunk?: (chunk: { text: string }) => void } = {},
    ) =>
      new Promise<ChatResult>((resolve) => {
        const emit = (text: string) => options.onChunk?.({ text });
        calls.push({ signal: options.signal, emit });
        emit('Once');
        options.signal?.addEventListener('abort', () =>
          resolve({
            finishReason: 'abort',
            promptTokens: 4,
            cachedPromptTokens: 0,
            completionTokens: 1,
            promptMs: 1,
            generationMs: 1,
          }),
        );
      })) as Pick<WorkerHandle, 'call'>['call'],
  };
  return { worker, calls };
}

function recordingHooks() {
  const finished: ChatResult[] = [];
  const hooks: ChatRunHooks = { finished: (result) => void finished.push(result), unresponsive: async () => undefined };
  return { hooks, finished };
}

const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Tell me a long story.' }] };

describe('streamChat', () => {
  it('tells the worker to cancel when the consumer leaves the stream early', async () => {
    const { worker, calls } = endlessWorker();
    const first: ChatCompletionChunk[] = [];
    for await (const chunk of streamChat(worker, request, undefined, recordingHooks().hooks)) {
      first.push(chunk);
      break;
    }
    expect(first.map((chunk) => chunk.choices[0]!.delta.content)).toEqual(['Once']);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal?.aborted).toBe(true);
  });

  it("cancels on the caller's abort, yields nothing after it and reports the stopped run", async () => {
    const { worker, calls } = endlessWorker();
    const { hooks, finished } = recordingHooks();
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const chunk of streamChat(worker, request, controller.signal, hooks)) {
      seen.push(chunk.choices[0]!.delta.content ?? '');
      controller.abort();
      calls[0]!.emit(' upon');
    }
    expect(seen).toEqual(['Once']);
    expect(calls[0]!.signal?.aborted).toBe(true);
    expect(finished.map((result) => result.finishReason)).toEqual(['abort']);
  });
});
