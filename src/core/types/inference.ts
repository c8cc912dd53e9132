/** OpenAI-shaped chat completion request and streamed chunk. */
import type { MessageRole } from './message';

export interface ChatMessage {
  role: MessageRole;
  content: string;
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  max_tokens?: number;
  stop?: string[];
  frequency_penalty?: number;
  presence_penalty?: number;
  seed?: number;
  stream?: boolean;
  /**
   * Opaque key for KV-cache reuse: requests with the same key (a thread id) may continue the
   * same context sequence so only new tokens are evaluated.
   */
  session_key?: string;
}

export type FinishReason = 'stop' | 'length' | 'abort' | 'error' | null;

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string };
    finish_reason: FinishReason;
  }>;
  /** Sent on the final chunk. */
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    /** OpenAI's field: prompt tokens served from the KV cache instead of being evaluated again. */
    prompt_tokens_details?: { cached_tokens: number };
  };
  /** Sent on the final chunk by local engines, with llama.cpp server's names. */
  timings?: ChatCompletionTimings;
}

export interface ChatCompletionTimings {
  /** Prompt tokens evaluated (those not found in the KV cache). */
  prompt_n: number;
  /** From the request to the first generated token. */
  prompt_ms: number;
  predicted_n: number;
  /** From the first generated token to the last. */
  predicted_ms: number;
  predicted_per_second?: number;
}

export interface CompletionRequest {
  model?: string;
  prefix: string;
  suffix: string;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
  /** Context from other files, placed before the prefix (the engine budgets it with the prefix and suffix). */
  extra?: string;
  /** Generation stops this long after its first token and returns what is ready. */
  time_limit_ms?: number;
}

export interface CompletionResult {
  text: string;
  finish_reason: FinishReason;
  tokens: number;
  /** Tokens of the prompt as evaluated, and those of them found in the KV cache. */
  prompt_tokens?: number;
  cached_tokens?: number;
}

export interface CompletionOptions {
  /** Called with the text generated so far as it streams; true stops the generation and keeps that text. */
  stopWhen?(text: string): boolean;
}

/** Texts to turn into vectors (OpenAI's /v1/embeddings input, always a list here). */
export interface EmbeddingRequest {
  model: string;
  input: string[];
}

export interface EmbeddingResult {
  /** One vector per input, in the input's order. */
  embeddings: number[][];
  /** Tokens evaluated over all the inputs. */
  prompt_tokens: number;
}
