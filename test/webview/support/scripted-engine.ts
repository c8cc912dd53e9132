import { EngineError } from '@jan/core';
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  CompletionResult,
  EngineStatus,
  InferenceEngine,
  Model,
} from '@jan/core';

/**
 * An engine that streams a reply the test chose, at a pace it chose: the webview tests need
 * replies they can assert on and stop halfway. (Real llama.cpp inference is tested with the
 * llama.cpp extension; this stands in for the engine only, never for the store or the view.)
 */
export class ScriptedEngine implements InferenceEngine {
  readonly id = 'llamacpp';
  readonly displayName = 'Scripted test engine';
  reply = 'Hello from the scripted engine.';
  tokenDelayMs = 1;
  /** Thrown by the next `load` (then cleared), to show how errors look in place. */
  failNextLoad: EngineError | undefined;
  readonly requests: ChatCompletionRequest[] = [];

  async list(): Promise<Model[]> {
    return [];
  }

  async load(): Promise<void> {
    const failure = this.failNextLoad;
    this.failNextLoad = undefined;
    if (failure) throw failure;
  }

  async unload(): Promise<void> {}

  async *chat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncIterable<ChatCompletionChunk> {
    this.requests.push(request);
    const tokens = this.reply.match(/\s*\S+|\s+/g) ?? [];
    for (const [index, token] of tokens.entries()) {
      await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
      if (signal?.aborted) return;
      yield {
        id: 'scripted',
        object: 'chat.completion.chunk',
        created: Date.now(),
        model: request.model,
        choices: [{ index: 0, delta: { content: token }, finish_reason: index === tokens.length - 1 ? 'stop' : null }],
      };
    }
  }

  async complete(): Promise<CompletionResult> {
    throw new EngineError('UNKNOWN', 'The scripted engine does not complete code.');
  }

  status(): EngineStatus {
    return { state: 'idle' };
  }
}
