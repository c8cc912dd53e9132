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
import type { Disposable } from './events';

/**
 * Where an engine runs its models, so every view can say where prompts and code go: on this
 * machine, or to a server's host. A server on this machine (loopback) is local: nothing leaves it.
 */
export type RunsOn = { readonly kind: 'local' } | { readonly kind: 'remote'; readonly host: string };

/** The place of every engine that runs on this machine. */
export const ON_THIS_MACHINE: RunsOn = Object.freeze({ kind: 'local' });

/** The short form the status bar and messages use: "local", or the host code goes to. */
export function runsOnLabel(runsOn: RunsOn): string {
  return runsOn.kind === 'local' ? 'local' : runsOn.host;
}

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
  /** Where a local engine computes ("CPU", "CUDA", "Vulkan", "Metal") and the model's layers on the GPU of its total. */
  backend?: string;
  gpuLayers?: number;
  totalLayers?: number;
  /** Why the backend is not the one asked for (a GPU backend that failed to load). */
  backendFallback?: string;
}

/**
 * The contract every inference provider implements (close to Jan's `AIEngine`).
 * Local engines load one model at a time per role; remote engines treat load as a no-op.
 */
export interface InferenceEngine {
  /** Engine id written into model.json `engine` and thread.json `model.engine`. */
  readonly id: string;
  readonly displayName: string;
  /**
   * Where prompts and code go. Required: the pickers, the status bar, the chat header and VS Code's
   * model list show it, and it must change when the engine's server does (the registry then tells).
   */
  readonly runsOn: RunsOn;
  /**
   * True when an HTTP server answers for this engine (a remote engine, possibly pointed at Jan's
   * own API server on this machine): listing it may wait on that server. Absent: models run in
   * this process (`InferenceService.listLocalModels` lists only those).
   */
  readonly throughServer?: boolean;
  /**
   * The extension or program that registered it through the public API (set by Jan, never by the
   * engine); absent for Jan's own. The chat's model picker names it.
   */
  readonly registeredBy?: string;
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
  /**
   * The model's token ids for a text and the text of each, or its bytes when it holds part of a
   * character (`special`: with the beginning-of-text token the model expects).
   */
  tokenize?(modelId: string, text: string, special?: boolean): Promise<{ tokens: number[]; pieces: TokenPiece[] }>;
  /** The text of token ids; an id outside the model's vocabulary is an INVALID_REQUEST. */
  detokenize?(modelId: string, tokens: number[]): Promise<string>;
  /** The models this engine holds in memory now (a remote engine holds none). */
  loadedModels?(): string[];
}

/** A token's text, or its bytes when they are not a whole character. */
export type TokenPiece = string | number[];

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

/**
 * Finds the engine for a model by the model's `engine` field. Listeners hear once after each
 * burst of changes (a remote engine whose server moved is unregistered and registered again in
 * one step), so a view shows the new place of a model without a reload.
 */
export class EngineRegistry {
  private readonly engines = new Map<string, InferenceEngine>();
  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  /** Adds (or replaces) the engine with this id; disposing removes exactly this engine. */
  register(engine: InferenceEngine): Disposable {
    this.engines.set(engine.id, engine);
    this.changed();
    return {
      dispose: () => {
        if (this.engines.get(engine.id) === engine) this.unregister(engine.id);
      },
    };
  }

  unregister(id: string): void {
    if (this.engines.delete(id)) this.changed();
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get(id: string): InferenceEngine | undefined {
    return this.engines.get(id);
  }

  all(): InferenceEngine[] {
    return [...this.engines.values()];
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}
