import { stat } from 'node:fs/promises';
import { InsufficientMemoryError, LlamaCompletion, resolveChatWrapper } from 'node-llama-cpp';
import type { GgufInsights, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import { WorkerError } from '../rpc/server';
import { ChatPool } from './chat-pool';
import { assertFits, inspectModelFile } from './model-file';
import { fitCompletionContext, planModel } from './model-plan';
import { Mutex } from './mutex';
import { SavedStates } from './saved-states';

export type ModelStatus = ResultOf<'status'>['models'][number];

interface CompletionParts {
  context: LlamaContext;
  sequence: LlamaContextSequence;
  completion: LlamaCompletion;
}

/** Saved chat states per model when the load request sets no cap. */
const DEFAULT_STATE_BYTES_LIMIT = 2 * 1024 ** 3;

/**
 * One model in memory with its chat pool (a context sequence per recent thread, kept between
 * turns so a thread's next turn evaluates only its new tokens) and the completion's sequence, in
 * a context of its own (created on first use) so an inline completion never evicts a chat's KV cache.
 */
export class LoadedModel {
  readonly chatLock = new Mutex();
  readonly completionLock = new Mutex();
  private completionParts: Promise<CompletionParts> | undefined;

  private constructor(
    readonly id: string,
    private readonly request: ArgsOf<'load'>,
    readonly model: LlamaModel,
    private readonly insights: GgufInsights,
    readonly chats: ChatPool,
    readonly info: ResultOf<'load'>,
  ) {}

  static async load(
    llama: Llama,
    args: ArgsOf<'load'>,
    signal: AbortSignal,
    warn: (message: string) => void,
  ): Promise<LoadedModel> {
    const started = performance.now();
    const insights = await inspectModelFile(llama, args.modelId, args.filePath);
    // The completion context is planned when it is first used, in what memory is left then.
    const plan = await planModel(llama, insights, { ...args, completionContextSize: undefined });
    await assertFits(llama, insights, {
      modelId: args.modelId,
      contextSize: plan.contextSize,
      gpuLayers: plan.gpuLayers,
      includeModel: true,
      sequences: plan.sequences,
    });
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: args.filePath, gpuLayers: plan.gpuLayers, loadSignal: signal });
    } catch (error) {
      if (signal.aborted) throw new WorkerError('ABORTED', `Loading model "${args.modelId}" was cancelled`);
      throw new WorkerError(
        'INVALID_MODEL_FILE',
        `llama.cpp could not load model "${args.modelId}" from ${args.filePath}: ${(error as Error).message}. The file may be corrupt or use an architecture this llama.cpp does not support.`,
      );
    }
    try {
      const chats = new ChatPool(
        async () => {
          const context = await createContext(model, args.modelId, plan.contextSize, plan.sequences);
          const states = args.stateFolder ? await savedStates(llama, args, context.contextSize) : undefined;
          return { context, states };
        },
        resolveChatWrapper(model),
        warn,
        args.promptLookup ?? false,
      );
      const info = {
        ...plan,
        gpuLayers: model.gpuLayers,
        // The same test LlamaCompletion.infillSupported makes, without taking a sequence for it.
        infillSupported: model.tokens.infill.prefix !== null && model.tokens.infill.suffix !== null,
        chatWrapper: chats.chatWrapper.wrapperName,
        loadMs: performance.now() - started,
      };
      return new LoadedModel(args.modelId, args, model, insights, chats, info);
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /** Whether a load request asks for exactly this model: same file, context sizes and GPU layers. */
  loadedWith(args: ArgsOf<'load'>): boolean {
    return (
      args.filePath === this.request.filePath &&
      args.contextSize === this.request.contextSize &&
      args.completionContextSize === this.request.completionContextSize &&
      args.gpuLayers === this.request.gpuLayers &&
      args.promptLookup === this.request.promptLookup
    );
  }

  completion(): Promise<CompletionParts> {
    this.completionParts ??= (async () => {
      const wanted = Math.max(
        1,
        Math.min(this.request.completionContextSize ?? this.info.contextSize, this.info.trainContextSize),
      );
      // In the memory left beside the chat: smaller than wanted rather than taking the chat's.
      const contextSize = await fitCompletionContext(this.insights, this.id, wanted, this.model.gpuLayers);
      const context = await createContext(this.model, this.id, contextSize);
      const sequence = context.getSequence();
      return { context, sequence, completion: new LlamaCompletion({ contextSequence: sequence }) };
    })();
    this.completionParts.catch(() => (this.completionParts = undefined));
    return this.completionParts;
  }

  /** What this model holds now, for the engine status (Jan: Show Engine Status): its plan and the completion context once made. */
  async status(): Promise<ModelStatus> {
    const completion = await this.completionParts?.catch(() => undefined);
    const chatAllocated = this.chats.allocated;
    if (!completion) return { ...this.info, modelId: this.id, chatAllocated, completionContextSize: 0 };
    const contextSize = completion.context.contextSize;
    const estimate = await this.insights.estimateContextResourceRequirementsV2({
      contextSize,
      modelGpuLayers: this.model.gpuLayers,
      sequences: 1,
    });
    return {
      ...this.info,
      modelId: this.id,
      chatAllocated,
      completionContextSize: contextSize,
      completionRamBytes: estimate.cpuRam,
      completionVramBytes: estimate.gpuVram,
    };
  }

  /** Saves every pooled thread's KV cache state (restored when the thread comes back), then frees the model. */
  async dispose(): Promise<void> {
    // After the reply in progress, if any: a sequence is saved between turns, never mid-generation.
    await this.chatLock.run(() => this.chats.saveAll());
    await this.chats.dispose();
    const completion = await this.completionParts?.catch(() => undefined);
    await completion?.context.dispose();
    await this.model.dispose();
  }
}

/** The store of this model's saved chat states, tied to the model file as it is now and to this llama.cpp. */
async function savedStates(llama: Llama, args: ArgsOf<'load'>, contextSize: number): Promise<SavedStates> {
  const file = await stat(args.filePath);
  const states = new SavedStates({
    folder: args.stateFolder!,
    identity: {
      filePath: args.filePath,
      size: file.size,
      modified: file.mtimeMs,
      contextSize,
      llamaCpp: llama.llamaCppRelease.release,
    },
    maxBytes: args.stateBytesLimit ?? DEFAULT_STATE_BYTES_LIMIT,
  });
  await states.prepare();
  return states;
}

async function createContext(
  model: LlamaModel,
  modelId: string,
  contextSize: number,
  sequences = 1,
): Promise<LlamaContext> {
  try {
    return await model.createContext({ contextSize, sequences });
  } catch (error) {
    if (error instanceof InsufficientMemoryError) {
      throw new WorkerError(
        'INSUFFICIENT_MEMORY',
        `A ${contextSize}-token context for model "${modelId}" does not fit in memory: ${error.message}. Lower the context size.`,
      );
    }
    throw error;
  }
}
