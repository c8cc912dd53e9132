import * as path from 'node:path';
import { EngineError, ON_THIS_MACHINE, errorMessage, silentLogger } from '@jan/core';
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  CompletionOptions,
  CompletionRequest,
  CompletionResult,
  EmbeddingRequest,
  EmbeddingResult,
  EngineState,
  EngineStatus,
  EventBus,
  InferenceEngine,
  Logger,
  Model,
  ModelSettings,
  ResolvedModel,
  TokenPiece,
  ToolDefinition,
} from '@jan/core';
import { raceAbort } from './abort';
import { SharedLoad } from './shared-load';
import { streamChat, tokensPerSecond } from './chat-stream';
import { IdleTracker } from './idle-tracker';
import type { LlamaCppSettings } from './settings';
import { WorkerHandle, workerKey } from './worker-handle';
import type { LoadedModelInfo } from './worker-handle';
import { workerMessages, workerTools } from './worker-messages';

export interface LlamaCppEngineOptions {
  /** The model with this id and the absolute path of its GGUF (the models extension provides it). */
  resolveModel(modelId: string): Promise<ResolvedModel | undefined>;
  /** Installed models; `list()` returns those whose engine is llama.cpp. */
  listModels?(): Promise<Model[]>;
  /** Read before every request, so a settings change applies to the next one. */
  settings(): LlamaCppSettings;
  /**
   * The bundled worker (dist/llamacpp-worker.mjs). Default: next to the running bundle, which
   * is dist/extension.js in the packaged extension.
   */
  workerPath?: string;
  events?: EventBus;
  logger?: Logger;
  /**
   * Where the worker saves the KV cache states of chat threads evicted from a model's sequence
   * pool (a folder per model inside); absent: evicted threads are evaluated again.
   */
  stateFolder?: string;
  /** Size cap of one model's saved states, in bytes. */
  stateBytesLimit?: number;
}

/**
 * The llama.cpp engine: node-llama-cpp in a worker (a child process by default) behind the RPC.
 * Models load on demand (again after a crash or an idle unload), chat streams OpenAI-shaped
 * chunks, completion uses FIM, and the worker stops after the configured idle time.
 */
export class LlamaCppEngine implements InferenceEngine {
  readonly id = 'llamacpp';
  readonly displayName = 'llama.cpp';
  readonly runsOn = ON_THIS_MACHINE;
  private readonly logger: Logger;
  private readonly workerPath: string;
  private worker: Promise<WorkerHandle> | undefined;
  /** The same worker once started, for the synchronous `contextSize`. */
  private settledWorker: WorkerHandle | undefined;
  private readonly loads = new Map<string, SharedLoad<LoadedModelInfo>>();
  /** Settings each model was last loaded with, reused when it loads again on demand. */
  private readonly loadSettings = new Map<string, ModelSettings | undefined>();
  private state: EngineState = 'idle';
  private currentModel: string | undefined;
  private lastError: string | undefined;
  private lastRun: Pick<EngineStatus, 'lastTokensPerSecond' | 'lastFinishReason' | 'lastCompletionTokens'> = {};
  private generating = 0;
  private readonly idle: IdleTracker;

  constructor(private readonly options: LlamaCppEngineOptions) {
    this.logger = options.logger ?? silentLogger;
    this.workerPath = options.workerPath ?? path.join(__dirname, 'llamacpp-worker.mjs');
    this.idle = new IdleTracker(
      () => options.settings().idleUnloadMinutes,
      (minutes) =>
        void this.stopWorker(`idle for ${minutes} min`).catch((error: unknown) =>
          this.logger.warn(errorMessage(error)),
        ),
    );
  }

  async list(): Promise<Model[]> {
    const models = (await this.options.listModels?.()) ?? [];
    return models.filter((model) => model.engine === this.id);
  }

  async load(modelId: string, settings?: ModelSettings, signal?: AbortSignal): Promise<void> {
    if (settings) this.loadSettings.set(modelId, settings);
    await this.idle.run(() => this.ensureLoaded(modelId, signal));
  }

  async unload(modelId?: string): Promise<void> {
    const worker = await this.existingWorker();
    if (!worker) return;
    if (modelId === undefined) {
      await this.stopWorker('unloaded');
      return;
    }
    if (!worker.loaded.has(modelId)) return;
    await worker.call('unload', { modelId });
    worker.loaded.delete(modelId);
    this.modelStopped(modelId);
  }

  chat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncIterable<ChatCompletionChunk> {
    return this.streamChat(request, signal);
  }

  async complete(
    request: CompletionRequest,
    signal?: AbortSignal,
    options: CompletionOptions = {},
  ): Promise<CompletionResult> {
    const modelId = request.model ?? this.currentModel;
    if (!modelId) throw new EngineError('NO_MODEL', 'No completion model is loaded. Select a completion model first.');
    return this.idle.run(async () => {
      const { worker } = await this.ensureLoaded(modelId, signal);
      // Aborted for the caller's cancel (the result is dropped) and for an early stop (the worker answers with the text so far).
      const cancel = new AbortController();
      let streamed = '';
      let stopped = false;
      const call = worker.call(
        'complete',
        {
          modelId,
          prefix: request.prefix,
          suffix: request.suffix,
          extra: request.extra,
          sampling: {
            maxTokens: request.max_tokens,
            temperature: request.temperature,
            topP: request.top_p,
            seed: request.seed,
            stop: request.stop,
          },
          timeLimitMs: request.time_limit_ms,
          wholePrompt: request.whole_prompt,
          ...(request.language !== undefined
            ? { rules: { languageId: request.language, maxLines: request.max_lines } }
            : {}),
        },
        {
          signal: cancel.signal,
          onChunk: ({ text }) => {
            streamed += text;
            if (!stopped && options.stopWhen?.(streamed)) {
              stopped = true;
              cancel.abort();
            }
          },
        },
      );
      const result = await raceAbort(call, signal, () => cancel.abort());
      if (!result) throw new EngineError('ABORTED', 'The completion was cancelled');
      const finishReason = stopped ? 'stop' : result.finishReason;
      this.lastRun = { ...this.lastRun, lastFinishReason: finishReason, lastCompletionTokens: result.tokens };
      return {
        text: result.text,
        finish_reason: finishReason,
        tokens: result.tokens,
        prompt_tokens: result.promptTokens,
        cached_tokens: result.cachedPromptTokens,
      };
    });
  }

  async embed(request: EmbeddingRequest, signal?: AbortSignal): Promise<EmbeddingResult> {
    return this.idle.run(async () => {
      const { worker } = await this.ensureLoaded(request.model, signal);
      const cancel = new AbortController();
      const call = worker.call('embed', { modelId: request.model, inputs: request.input }, { signal: cancel.signal });
      const result = await raceAbort(call, signal, () => cancel.abort());
      if (!result) throw new EngineError('ABORTED', 'The embedding request was cancelled');
      return { embeddings: result.embeddings, prompt_tokens: result.tokens };
    });
  }

  async countTokens(modelId: string, text: string): Promise<number> {
    return this.idle.run(async () => {
      const { worker } = await this.ensureLoaded(modelId);
      return (await worker.call('countTokens', { modelId, text })).tokens;
    });
  }

  async countChatTokens(modelId: string, messages: ChatMessage[], tools?: ToolDefinition[]): Promise<number> {
    return this.idle.run(async () => {
      const { worker } = await this.ensureLoaded(modelId);
      const args = { modelId, messages: workerMessages(messages), tools: workerTools(tools) };
      return (await worker.call('countChatTokens', args)).tokens;
    });
  }

  async tokenize(
    modelId: string,
    text: string,
    special?: boolean,
  ): Promise<{ tokens: number[]; pieces: TokenPiece[] }> {
    return this.idle.run(async () => {
      const { worker } = await this.ensureLoaded(modelId);
      return worker.call('tokenize', { modelId, text, special });
    });
  }

  async detokenize(modelId: string, tokens: number[]): Promise<string> {
    return this.idle.run(async () => {
      const { worker } = await this.ensureLoaded(modelId);
      return (await worker.call('detokenize', { modelId, tokens })).text;
    });
  }

  loadedModels(): string[] {
    return [...(this.settledWorker?.loaded.keys() ?? [])];
  }

  contextSize(modelId: string): number | undefined {
    return this.settledWorker?.loaded.get(modelId)?.contextSize;
  }

  status(): EngineStatus {
    const state: EngineState = this.generating > 0 ? 'generating' : this.state;
    return { state, modelId: this.currentModel, ...this.lastRun, ...(this.lastError ? { error: this.lastError } : {}) };
  }

  /** Stops the worker and forgets every loaded model (extension unload). */
  async dispose(): Promise<void> {
    this.idle.dispose();
    await this.stopWorker('engine stopped');
  }

  private async *streamChat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncGenerator<ChatCompletionChunk> {
    if (signal?.aborted) return;
    this.idle.begin();
    try {
      const { worker } = await this.ensureLoaded(request.model, signal);
      if (signal?.aborted) return;
      this.generating++;
      try {
        yield* streamChat(worker, request, signal, {
          finished: (result) => {
            this.lastRun = {
              lastTokensPerSecond: tokensPerSecond(result) ?? this.lastRun.lastTokensPerSecond,
              lastFinishReason: result.finishReason,
              lastCompletionTokens: result.completionTokens,
            };
          },
          unresponsive: async () => {
            this.logger.warn('The llama.cpp worker did not stop generating after a cancel; restarting it.');
            await this.stopWorker('did not stop after a cancel');
          },
        });
      } finally {
        this.generating--;
      }
    } finally {
      this.idle.end();
    }
  }

  /** Loads the model in the current worker unless it is there already with the same settings. */
  private async ensureLoaded(
    modelId: string,
    signal?: AbortSignal,
  ): Promise<{ worker: WorkerHandle; info: LoadedModelInfo }> {
    const worker = await this.ensureWorker();
    const resolved = await this.options.resolveModel(modelId);
    if (!resolved)
      throw new EngineError('MODEL_NOT_FOUND', `No model "${modelId}" is installed. Download or import it first.`);
    const settings = this.options.settings();
    const modelSettings = { ...resolved.model.settings, ...this.loadSettings.get(modelId) };
    const contextSize = positive(modelSettings.ctx_len) ?? settings.contextSize;
    const gpuLayers = typeof modelSettings.ngl === 'number' && modelSettings.ngl >= 0 ? modelSettings.ngl : undefined;
    const key = `${resolved.filePath}|${contextSize}|${settings.completionContextSize}|${gpuLayers ?? 'auto'}`;
    const current = worker.loaded.get(modelId);
    if (current?.key === key) {
      this.currentModel = modelId;
      return { worker, info: current };
    }
    const loadKey = `${key}|${modelId}`;
    let loading = this.loads.get(loadKey);
    if (!loading) {
      const shared = new SharedLoad((loadSignal) =>
        this.loadInWorker(
          worker,
          modelId,
          resolved,
          { contextSize, completionContextSize: settings.completionContextSize, gpuLayers, key },
          loadSignal,
        ),
      );
      this.loads.set(loadKey, shared);
      void shared.promise.catch(() => undefined).finally(() => this.loads.delete(loadKey));
      loading = shared;
    }
    const info = await loading.wait(signal);
    return { worker, info };
  }

  private async loadInWorker(
    worker: WorkerHandle,
    modelId: string,
    resolved: ResolvedModel,
    target: { contextSize: number; completionContextSize: number; gpuLayers: number | undefined; key: string },
    signal?: AbortSignal,
  ): Promise<LoadedModelInfo> {
    this.state = 'loading';
    this.currentModel = modelId;
    this.options.events?.emit('OnModelLoading', { modelId });
    try {
      // A model loaded with other settings is replaced by the worker.
      worker.loaded.delete(modelId);
      const result = await worker.call(
        'load',
        {
          modelId,
          filePath: resolved.filePath,
          contextSize: target.contextSize,
          completionContextSize: target.completionContextSize,
          gpuLayers: target.gpuLayers,
          stateFolder: this.options.stateFolder && path.join(this.options.stateFolder, encodeURIComponent(modelId)),
          stateBytesLimit: this.options.stateBytesLimit,
        },
        { signal },
      );
      const info = { ...result, key: target.key };
      worker.loaded.set(modelId, info);
      this.state = 'ready';
      this.lastError = undefined;
      this.logger.info(
        `Loaded ${modelId} in ${Math.round(result.loadMs)} ms (context ${result.contextSize}, chat template ${result.chatWrapper}, ` +
          `${result.gpuLayers} GPU layers, infill ${result.infillSupported ? 'yes' : 'no'})`,
      );
      this.options.events?.emit('OnModelReady', { modelId });
      return info;
    } catch (error) {
      this.state = worker.loaded.size > 0 ? 'ready' : 'idle';
      if (!(error instanceof EngineError && error.code === 'ABORTED')) {
        this.lastError = errorMessage(error);
        this.state = 'error';
        this.options.events?.emit('OnModelFail', { modelId, error: errorMessage(error) });
      }
      throw error;
    }
  }

  /** The running worker, or a new one; a worker started with other settings is replaced when idle. */
  private async ensureWorker(): Promise<WorkerHandle> {
    const settings = this.options.settings();
    const running = await this.existingWorker();
    if (running && (running.key === workerKey(settings) || running.busy)) return running;
    if (running) await this.stopWorker('settings changed');
    const starting = WorkerHandle.start({
      workerPath: this.workerPath,
      settings,
      logger: this.logger,
      onCrash: (error) => this.crashed(starting, error),
    });
    this.worker = starting;
    try {
      const worker = await starting;
      if (this.worker === starting) this.settledWorker = worker;
      return worker;
    } catch (error) {
      if (this.worker === starting) this.worker = undefined;
      throw error;
    }
  }

  private async existingWorker(): Promise<WorkerHandle | undefined> {
    if (!this.worker) return undefined;
    const worker = await this.worker.catch(() => undefined);
    return worker?.alive ? worker : undefined;
  }

  private crashed(starting: Promise<WorkerHandle>, error: EngineError): void {
    this.logger.error(error.message);
    const worker = this.worker === starting ? this.settledWorker : undefined;
    if (this.worker === starting) {
      this.worker = undefined;
      this.settledWorker = undefined;
    }
    this.state = 'error';
    this.lastError = error.message;
    this.options.events?.emit('OnEngineCrashed', { engine: this.id, error: error.message });
    for (const modelId of worker?.loaded.keys() ?? []) this.options.events?.emit('OnModelStopped', { modelId });
  }

  private async stopWorker(reason: string): Promise<void> {
    const starting = this.worker;
    if (!starting) return;
    this.worker = undefined;
    this.settledWorker = undefined;
    const worker = await starting.catch(() => undefined);
    if (!worker) return;
    const models = [...worker.loaded.keys()];
    await worker.stop();
    if (models.length > 0) this.logger.info(`Unloaded ${models.join(', ')} (${reason})`);
    for (const modelId of models) this.modelStopped(modelId);
    this.state = 'idle';
  }

  private modelStopped(modelId: string): void {
    if (this.currentModel === modelId) this.state = this.settledWorker?.loaded.size ? 'ready' : 'idle';
    this.options.events?.emit('OnModelStopped', { modelId });
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}
