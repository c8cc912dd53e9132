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
import { slowReplyHint } from './slow-reply';
import { backendStatus, loadTarget, type LoadTarget } from './load-target';
import type { LlamaCppSettings } from './settings';
import type { WorkerHandle } from './worker-handle';
import { WorkerSupervisor } from './worker-supervisor';
import type { LoadedModelInfo } from './worker-handle';
import type { ResultOf } from './rpc/methods';
import { workerMessages, workerTools } from './worker-messages';

export type ModelPlan = ResultOf<'plan'>;
export type WorkerStatus = ResultOf<'status'>;
export type BackendInfo = ResultOf<'init'>;

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
  /** Where GPU backends fetched on demand (CUDA) are installed; the worker adds them to its module search. */
  backendsFolder?: string;
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
  private readonly workers: WorkerSupervisor;
  private readonly loads = new Map<string, SharedLoad<LoadedModelInfo>>();
  /** The context each model's last plan gave, until it loads (the context meter's limit before the first turn). */
  private readonly planned = new Map<string, number>();
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
    this.workers = new WorkerSupervisor({
      workerPath: options.workerPath ?? path.join(__dirname, 'llamacpp-worker.mjs'),
      settings: options.settings,
      backendsFolder: options.backendsFolder,
      logger: this.logger,
      crashed: (error, models) => this.crashed(error, models),
      stopped: (models, reason) => {
        if (models.length > 0) this.logger.info(`Unloaded ${models.join(', ')} (${reason})`);
        for (const modelId of models) this.modelStopped(modelId);
        this.state = 'idle';
      },
    });
    this.idle = new IdleTracker(
      () => options.settings().idleUnloadMinutes,
      (minutes) =>
        void this.workers
          .stop(`idle for ${minutes} min`)
          .catch((error: unknown) => this.logger.warn(errorMessage(error))),
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
    const worker = await this.workers.existing();
    if (!worker) return;
    if (modelId === undefined) {
      await this.workers.stop('unloaded');
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
    return [...(this.workers.current?.loaded.keys() ?? [])];
  }

  /**
   * The memory plan of a model with the current settings, without loading it: its context and
   * chat sequences, node-llama-cpp's estimates, and whether it fits this machine now
   * (worker/model-plan.ts). `completion`: plan the completion context too (the model serves both).
   */
  async plan(modelId: string, options: { completion?: boolean } = {}): Promise<ModelPlan> {
    return this.idle.run(async () => {
      const worker = await this.workers.ensure();
      const resolved = await this.resolve(modelId);
      const settings = this.options.settings();
      const plan = await worker.call('plan', {
        modelId,
        filePath: resolved.filePath,
        ...loadTarget(resolved, this.loadSettings.get(modelId), settings),
        completionContextSize: options.completion ? settings.completionContextSize : undefined,
      });
      this.planned.set(modelId, plan.contextSize);
      return plan;
    });
  }

  /** The running worker's memory, backend and loaded models; undefined when none runs. */
  async workerStatus(): Promise<WorkerStatus | undefined> {
    const worker = await this.workers.existing();
    return worker && (await worker.call('status', {}));
  }

  /** The same, starting the worker when none runs (Jan: Show Engine Status, the fit of catalog models). */
  async machineStatus(): Promise<WorkerStatus> {
    return this.idle.run(async () => (await this.workers.ensure()).call('status', {}));
  }

  /** The running worker's backend, node-llama-cpp version and CUDA state; undefined before a worker started. */
  backendInfo(): BackendInfo | undefined {
    return this.workers.current?.info;
  }

  /** Where GPU backends fetched on demand go (extensions/llamacpp/backends/). */
  get backendsFolder(): string | undefined {
    return this.options.backendsFolder;
  }

  /** Ends the worker (its threads' states saved): the next request starts one with the backends installed now. */
  restartWorker(reason: string): Promise<void> {
    return this.workers.stop(reason);
  }

  /** The loaded model's context, else the one its last plan gave (a picker or the engine status asked). */
  contextSize(modelId: string): number | undefined {
    return this.workers.current?.loaded.get(modelId)?.contextSize ?? this.planned.get(modelId);
  }

  status(): EngineStatus {
    const state: EngineState = this.generating > 0 ? 'generating' : this.state;
    return {
      state,
      modelId: this.currentModel,
      ...this.lastRun,
      ...(this.lastError ? { error: this.lastError } : {}),
      ...backendStatus(this.workers.current, this.currentModel),
    };
  }

  /** Stops the worker and forgets every loaded model (extension unload). */
  async dispose(): Promise<void> {
    this.idle.dispose();
    await this.workers.stop('engine stopped');
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
            const hint = slowReplyHint(result, worker.info.gpu === 'cpu' ? 'the CPU' : worker.info.gpu);
            if (hint) this.logger.warn(hint);
          },
          unresponsive: async () => {
            this.logger.warn('The llama.cpp worker did not stop generating after a cancel; restarting it.');
            // Stuck in native code: nothing can be saved from it.
            await this.workers.stop('did not stop after a cancel', { saveStates: false });
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
    const worker = await this.workers.ensure();
    const resolved = await this.resolve(modelId);
    const settings = this.options.settings();
    const target = loadTarget(resolved, this.loadSettings.get(modelId), settings);
    const key = `${resolved.filePath}|${target.contextSize ?? 'auto'}|${settings.completionContextSize}|${target.gpuLayers ?? 'auto'}|${settings.promptLookup}`;
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
          {
            ...target,
            completionContextSize: settings.completionContextSize,
            promptLookup: settings.promptLookup !== 'off',
            key,
          },
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

  private async resolve(modelId: string): Promise<ResolvedModel> {
    const resolved = await this.options.resolveModel(modelId);
    if (!resolved)
      throw new EngineError('MODEL_NOT_FOUND', `No model "${modelId}" is installed. Download or import it first.`);
    return resolved;
  }

  private async loadInWorker(
    worker: WorkerHandle,
    modelId: string,
    resolved: ResolvedModel,
    target: LoadTarget & { completionContextSize: number; promptLookup: boolean; key: string },
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
          promptLookup: target.promptLookup,
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

  private crashed(error: EngineError, models: string[]): void {
    this.logger.error(error.message);
    this.state = 'error';
    this.lastError = error.message;
    this.options.events?.emit('OnEngineCrashed', { engine: this.id, error: error.message });
    for (const modelId of models) this.options.events?.emit('OnModelStopped', { modelId });
  }

  private modelStopped(modelId: string): void {
    if (this.currentModel === modelId) this.state = this.workers.current?.loaded.size ? 'ready' : 'idle';
    this.options.events?.emit('OnModelStopped', { modelId });
  }
}
