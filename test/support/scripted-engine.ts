import type { ChatCompletionChunk, EngineError, ChatCompletionRequest, CompletionResult, EngineStatus, InferenceEngine, Model } from '@jan/core';

/**
 * A deterministic engine for testing the conversation logic around an engine (request building,
 * context fitting, stop, errors, saving). It is never shipped; the real llama.cpp engine is
 * exercised by the integration tests. Tokens are words; a reply is the scripted words in order.
 */
export class ScriptedEngine implements InferenceEngine {
  readonly id = 'scripted';
  readonly displayName = 'Scripted test engine';
  readonly requests: ChatCompletionRequest[] = [];
  loads = 0;
  /** Words of the next replies; each chat() takes the next entry. */
  replies: string[][] = [];
  /** Milliseconds between tokens, so a test can stop mid-stream. */
  tokenDelayMs = 0;
  failWith?: EngineError;
  failAfterTokens?: number;

  constructor(private readonly context?: number) {}

  async list(): Promise<Model[]> {
    return [];
  }
  async load(): Promise<void> {
    this.loads += 1;
  }
  async unload(): Promise<void> {}
  status(): EngineStatus {
    return { state: 'ready' };
  }
  contextSize(): number | undefined {
    return this.context;
  }
  async countTokens(_modelId: string, text: string): Promise<number> {
    return text.split(/\s+/).filter(Boolean).length;
  }
  async complete(): Promise<CompletionResult> {
    return { text: '', finish_reason: 'stop', tokens: 0 };
  }

  async *chat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncIterable<ChatCompletionChunk> {
    this.requests.push(request);
    if (this.failWith && this.failAfterTokens === undefined) throw this.failWith;
    const words = this.replies.shift() ?? ['ok'];
    let sent = 0;
    for (const word of words) {
      if (this.failWith && sent === this.failAfterTokens) throw this.failWith;
      if (this.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
      if (signal?.aborted) return;
      sent += 1;
      yield chunk(request.model, `${sent > 1 ? ' ' : ''}${word}`, null);
    }
    yield { ...chunk(request.model, '', 'stop'), usage: { prompt_tokens: 5, completion_tokens: sent, total_tokens: 5 + sent } };
  }
}

function chunk(model: string, content: string, finish: ChatCompletionChunk['choices'][0]['finish_reason']): ChatCompletionChunk {
  return {
    id: 'chunk',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finish }],
  };
}
