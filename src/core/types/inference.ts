/** OpenAI-shaped chat completion request and streamed chunk. */
import type { MessageRole } from './message';
import type { ResponseFormat, ToolCall, ToolCallDelta, ToolChoice, ToolDefinition } from './tools';

/** A turn sent to a model: a tool's answer (`role: 'tool'`) follows the assistant turn that called it. */
export type ChatMessage =
  | { role: Exclude<MessageRole, 'assistant'>; content: string }
  /** An assistant turn; one that called tools has `tool_calls` (its `content` may be empty). */
  | { role: 'assistant'; content: string; tool_calls?: ToolCall[] }
  /** A tool's answer to the call with `tool_call_id`. */
  | { role: 'tool'; content: string; tool_call_id: string };

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
  /** Tools the model may call; the reply then carries `tool_calls` (finish reason `tool_calls`). */
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  /** A JSON reply: free (`json_object`) or matching a schema (`json_schema`). */
  response_format?: ResponseFormat;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'abort' | 'error' | null;

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string; tool_calls?: ToolCallDelta[] };
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
  /** Tokens drafted by speculative decoding and checked, and those kept (llama-server's names). */
  draft_n?: number;
  draft_n_accepted?: number;
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
  /**
   * The whole request stops this long after it reaches the engine (prompt evaluation included) and
   * returns what is ready.
   */
  time_limit_ms?: number;
  /**
   * The prompt as a client sent it (the API server): never cut to fit, refused (CONTEXT_TOO_LONG)
   * when it leaves no room for the reply, and `max_tokens` may use all the room left. Without a
   * suffix the prefix is continued as plain text. Unset: the editor's budgeted prompt.
   */
  whole_prompt?: boolean;
  /**
   * The document's language id and the suggestion's line budget: an engine that stops a streaming
   * generation itself applies the completion rules with them (`completionStop` over `contextOfPrompt`).
   */
  language?: string;
  max_lines?: number;
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
