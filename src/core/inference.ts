import { withDeadline } from './deadline';
import { EngineError } from './engines';
import type { EngineRegistry, InferenceEngine } from './engines';
import type { EventBus } from './events';
import type { ModelExtension } from './extension-types';
import { errorMessage } from './logger';
import type { Logger } from './logger';
import { DEFAULT_ENGINE, isSpecificModel, type ModelChoice, type ModelPurpose } from './model-choice';
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  CompletionOptions,
  CompletionRequest,
  CompletionResult,
  EmbeddingResult,
  Model,
  ModelSettings,
} from './types';

/** An engine that lists its models (a remote server) must not hold up a model picker. */
const ENGINE_LIST_TIMEOUT_MS = 3000;

export interface InferenceDeps {
  engines: EngineRegistry;
  events: EventBus;
  logger: Logger;
  /** The installed models (model.json files); undefined while none is registered. */
  models: () => ModelExtension | undefined;
  /** The model id the user chose for a purpose (a setting), or undefined. */
  chosenModelId: (purpose: ModelPurpose) => string | undefined;
}

const NO_MODEL_TEXT: Record<ModelPurpose, string> = {
  chat: 'No chat model is selected. Download or import a model, then run "Jan: Select Chat Model".',
  completion: 'No completion model is selected. Run "Jan: Select Completion Model".',
};

/**
 * The one inference path of the core: choose the model, find its engine, load, run. Chat,
 * inline completion, commands on a selection and the API server all go through it, so each
 * failure has one text and one code. Model lookups are cached until the models change.
 */
export class InferenceService {
  private lookups = new Map<string, Promise<Model | undefined>>();
  private listing: Promise<Model[]> | undefined;
  /** Engines whose last listing failed: said once (OnEngineUnlisted) until they list again. */
  private readonly unlisted = new Set<string>();
  private readonly subscriptions;

  constructor(private readonly deps: InferenceDeps) {
    this.subscriptions = [
      deps.events.on('OnModelsChanged', () => this.refreshModels()),
      deps.events.on('OnEnginesChanged', () => this.refreshModels()),
    ];
  }

  /** The id of the user's model for `purpose` (a setting), or undefined when none is chosen. */
  chosenId(purpose: ModelPurpose): string | undefined {
    const id = this.deps.chosenModelId(purpose)?.trim();
    return isSpecificModel(id) ? id : undefined;
  }

  /** The user's model for `purpose`, or undefined when none is chosen. */
  async chosen(purpose: ModelPurpose): Promise<ModelChoice | undefined> {
    const id = this.chosenId(purpose);
    return id ? this.choiceFor(id) : undefined;
  }

  /** Like `chosen`, but a missing choice is an error that says how to make one. */
  async require(purpose: ModelPurpose): Promise<ModelChoice> {
    const choice = await this.chosen(purpose);
    if (!choice) throw new EngineError('NO_MODEL', NO_MODEL_TEXT[purpose]);
    return choice;
  }

  /**
   * The engine of a model id: its model.json's, else the engine that lists it (a remote one),
   * else llama.cpp, which then says clearly that the model was not found.
   */
  async choiceFor(modelId: string): Promise<ModelChoice> {
    const local = await this.lookup(modelId);
    if (local) return { id: modelId, engine: local.engine || DEFAULT_ENGINE };
    const listed = (await this.listModels()).find((model) => model.id === modelId);
    return { id: modelId, engine: listed?.engine || DEFAULT_ENGINE };
  }

  /** The registered engines (to show where each model's prompts go). */
  get engines(): EngineRegistry {
    return this.deps.engines;
  }

  engine(choice: ModelChoice): InferenceEngine {
    const engine = this.deps.engines.get(choice.engine);
    if (!engine)
      throw new EngineError('MODEL_NOT_FOUND', `No engine "${choice.engine}" is available for model ${choice.id}.`);
    return engine;
  }

  /** The engine with the model loaded (a no-op for a model that already is). */
  async prepare(choice: ModelChoice, settings?: ModelSettings, signal?: AbortSignal): Promise<InferenceEngine> {
    const engine = this.engine(choice);
    await engine.load(choice.id, settings, signal);
    return engine;
  }

  async *chat(
    choice: ModelChoice,
    request: Omit<ChatCompletionRequest, 'model'>,
    signal?: AbortSignal,
  ): AsyncIterable<ChatCompletionChunk> {
    const engine = await this.prepare(choice, undefined, signal);
    yield* engine.chat({ ...request, model: choice.id }, signal);
  }

  async complete(
    choice: ModelChoice,
    request: Omit<CompletionRequest, 'model'>,
    signal?: AbortSignal,
    options?: CompletionOptions,
  ): Promise<CompletionResult> {
    const engine = await this.prepare(choice, undefined, signal);
    return engine.complete({ ...request, model: choice.id }, signal, options);
  }

  async embed(choice: ModelChoice, input: string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    const engine = this.engine(choice);
    if (!engine.embed)
      throw new EngineError(
        'INVALID_REQUEST',
        `The ${engine.displayName} engine of model ${choice.id} cannot make embeddings.`,
      );
    await engine.load(choice.id, undefined, signal);
    return engine.embed({ model: choice.id, input }, signal);
  }

  /** The listed models whose engine is registered, each with it (where it runs); the others cannot run. */
  async runnableModels(): Promise<Array<{ model: Model; engine: InferenceEngine }>> {
    const runnable: Array<{ model: Model; engine: InferenceEngine }> = [];
    for (const model of await this.listModels()) {
      const engine = this.deps.engines.get(model.engine);
      if (engine) runnable.push({ model, engine });
    }
    return runnable;
  }

  /** The models in memory now, with their engines (`ps`, the API server's model status). */
  loaded(): ModelChoice[] {
    return this.deps.engines
      .all()
      .flatMap((engine) => (engine.loadedModels?.() ?? []).map((id) => ({ id, engine: engine.id })));
  }

  /** Frees a model's memory; it loads again on its next request. False when it was not loaded. */
  async unload(choice: ModelChoice): Promise<boolean> {
    const engine = this.engine(choice);
    if (!engine.loadedModels?.().includes(choice.id)) return false;
    await engine.unload(choice.id);
    return true;
  }

  /** Installed models, then the models engines list themselves; each id once. Cached. */
  listModels(): Promise<Model[]> {
    this.listing ??= this.readModelList().catch((error: unknown) => {
      this.listing = undefined;
      throw error;
    });
    return this.listing;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** Reads the models again on next use (a view opened: the folder may have changed by hand). */
  refreshModels(): void {
    this.lookups = new Map();
    this.listing = undefined;
  }

  private lookup(modelId: string): Promise<Model | undefined> {
    let found = this.lookups.get(modelId);
    if (!found) {
      const models = this.deps.models();
      found = models ? models.getModel(modelId) : Promise.resolve(undefined);
      this.lookups.set(modelId, found);
      // A failed read is not remembered: the next request tries again.
      found.catch(() => this.lookups.delete(modelId));
    }
    return found;
  }

  /**
   * The models this process runs itself: installed ones and those of engines no server answers
   * for (`throughServer`; a remote engine always has one, also on this machine). Not
   * cached and never asking a server: Jan's own API server answers a listing from this process's
   * remote engines with it, so a remote engine pointed at that server cannot wait on itself.
   */
  async listLocalModels(): Promise<Model[]> {
    return this.collect(this.deps.engines.all().filter((engine) => !engine.throughServer));
  }

  private readModelList(): Promise<Model[]> {
    return this.collect(this.deps.engines.all());
  }

  private async collect(engines: InferenceEngine[]): Promise<Model[]> {
    const byId = new Map<string, Model>();
    const installed = this.deps.models();
    if (installed) for (const model of (await installed.listModels()).models) byId.set(model.id, model);
    const lists = await Promise.all(
      engines.map((engine) =>
        withDeadline(engine.list(), ENGINE_LIST_TIMEOUT_MS).then(
          (models) => {
            this.unlisted.delete(engine.id);
            return models;
          },
          (error: unknown) => this.dropped(engine, errorMessage(error)),
        ),
      ),
    );
    for (const models of lists) for (const model of models) if (!byId.has(model.id)) byId.set(model.id, model);
    return [...byId.values()];
  }

  /** An engine whose models are left out of the list: logged every time, announced once per failing streak. */
  private dropped(engine: InferenceEngine, reason: string): Model[] {
    this.deps.logger.warn(`The models of ${engine.displayName} (${engine.id}) are not listed: ${reason}`);
    if (!this.unlisted.has(engine.id)) {
      this.unlisted.add(engine.id);
      this.deps.events.emit('OnEngineUnlisted', {
        engine: engine.id,
        displayName: engine.displayName,
        runsOn: engine.runsOn,
        throughServer: engine.throughServer ?? false,
        reason,
      });
    }
    return [];
  }
}
