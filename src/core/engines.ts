import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  CompletionOptions,
  CompletionRequest,
  CompletionResult,
  EmbeddingRequest,
  EmbeddingResult,
  FinishReason,
  Model,
  ModelSettings,
  ToolDefinition,
} from './types';

export type EngineState = 'idle' | 'loading' | 'ready' | 'generating' | 'error';

export interface EngineStatus {
  state: EngineState;
  modelId?: string;
  /** Tokens per second of the last generation. */
  lastTokensPerSecond?: number;
  /** How the last generation ended (`abort` when it was stopped) and how many tokens it made. */
  lastFinishReason?: FinishReason;
  lastCompletionTokens?: number;
  error?: string;
}

/**
 * The contract every inference provider implements (close to Jan's `AIEngine`).
 * Local engines load one model at a time per role; remote engines treat load as a no-op.
 */
export interface InferenceEngine {
  /** Engine id written into model.json `engine` and thread.json `model.engine`. */
  readonly id: string;
  readonly displayName: string;
  /** Where prompts and code go: "local" (this machine; the default when unset) or a server's host. */
  readonly destination?: string;
  /** Models this engine can run. */
  list(): Promise<Model[]>;
  load(modelId: string, settings?: ModelSettings, signal?: AbortSignal): Promise<void>;
  unload(modelId?: string): Promise<void>;
  /** Streams OpenAI-shaped chunks; aborting the signal ends the stream with no further chunk. */
  chat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncIterable<ChatCompletionChunk>;
  /** Fill-in-the-middle completion between a prefix and a suffix. */
  complete(request: CompletionRequest, signal?: AbortSignal, options?: CompletionOptions): Promise<CompletionResult>;
  /** One vector per input text; an engine without it cannot serve /v1/embeddings. */
  embed?(request: EmbeddingRequest, signal?: AbortSignal): Promise<EmbeddingResult>;
  status(): EngineStatus;
  /** Tokens the model would see for this text; used to fit the context window. */
  countTokens?(modelId: string, text: string): Promise<number>;
  /**
   * Tokens of the prompt the model's chat template renders for these messages (and the
   * descriptions of `tools`, as the template documents them); used to fit the context window exactly.
   */
  countChatTokens?(modelId: string, messages: ChatMessage[], tools?: ToolDefinition[]): Promise<number>;
  /** Context length of the loaded model, if one is loaded. */
  contextSize?(modelId: string): number | undefined;
}

/** Errors an engine throws carry a code the UI turns into an action. */
export type EngineErrorCode =
  | 'NO_MODEL'
  | 'MODEL_NOT_FOUND'
  | 'INVALID_MODEL_FILE'
  | 'INSUFFICIENT_MEMORY'
  | 'WORKER_CRASHED'
  | 'ABORTED'
  | 'CONTEXT_TOO_LONG'
  | 'INVALID_REQUEST'
  | 'REMOTE_ERROR'
  | 'UNKNOWN';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Finds the engine for a model by the model's `engine` field. */
export class EngineRegistry {
  private readonly engines = new Map<string, InferenceEngine>();

  register(engine: InferenceEngine): void {
    this.engines.set(engine.id, engine);
  }

  unregister(id: string): void {
    this.engines.delete(id);
  }

  get(id: string): InferenceEngine | undefined {
    return this.engines.get(id);
  }

  all(): InferenceEngine[] {
    return [...this.engines.values()];
  }
}
