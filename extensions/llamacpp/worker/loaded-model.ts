import { InsufficientMemoryError, LlamaChat, LlamaCompletion } from 'node-llama-cpp';
import type { GgufInsights, Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import { WorkerError } from '../rpc/server';
import { assertFits, inspectModelFile, resolveGpuLayers } from './model-file';
import { Mutex } from './mutex';

/**
 * One model in memory with its two context sequences: the chat's, kept between turns so a
 * thread's next turn evaluates only its new tokens, and the completion's, in a context of its own
 * (created on first use) so an inline completion never evicts the chat's KV cache.
 */
export class LoadedModel {
  readonly chatLock = new Mutex();
  readonly completionLock = new Mutex();
  private completionParts: Promise<{ context: LlamaContext; completion: LlamaCompletion }> | undefined;

  private constructor(
    readonly id: string,
    private readonly request: ArgsOf<'load'>,
    readonly model: LlamaModel,
    private readonly insights: GgufInsights,
    private readonly chatContext: LlamaContext,
    readonly chat: LlamaChat,
    readonly info: ResultOf<'load'>,
  ) {}

  static async load(llama: Llama, args: ArgsOf<'load'>, signal: AbortSignal): Promise<LoadedModel> {
    const started = performance.now();
    const insights = await inspectModelFile(llama, args.modelId, args.filePath);
    const trainContextSize = insights.trainContextSize ?? args.contextSize;
    const contextSize = Math.max(1, Math.min(args.contextSize, trainContextSize));
    const gpuLayers = await resolveGpuLayers(llama, insights, args.modelId, args.gpuLayers, contextSize);
    const estimatedRamBytes = await assertFits(llama, insights, { modelId: args.modelId, contextSize, gpuLayers, includeModel: true });
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: args.filePath, gpuLayers, loadSignal: signal });
    } catch (error) {
      if (signal.aborted) throw new WorkerError('ABORTED', `Loading model "${args.modelId}" was cancelled`);
      throw new WorkerError(
        'INVALID_MODEL_FILE',
        `llama.cpp could not load model "${args.modelId}" from ${args.filePath}: ${(error as Error).message}. The file may be corrupt or use an architecture this llama.cpp does not support.`,
      );
    }
    try {
      const context = await createContext(model, args.modelId, contextSize);
      const chat = new LlamaChat({ contextSequence: context.getSequence() });
      const info = {
        contextSize: context.contextSize,
        trainContextSize,
        // The same test LlamaCompletion.infillSupported makes, without taking a sequence for it.
        infillSupported: model.tokens.infill.prefix !== null && model.tokens.infill.suffix !== null,
        chatWrapper: chat.chatWrapper.wrapperName,
        gpuLayers: model.gpuLayers,
        estimatedRamBytes,
        loadMs: performance.now() - started,
      };
      return new LoadedModel(args.modelId, args, model, insights, context, chat, info);
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /** Whether a load request asks for exactly this model: same file, context size and GPU layers. */
  loadedWith(args: ArgsOf<'load'>): boolean {
    return args.filePath === this.request.filePath && args.contextSize === this.request.contextSize && args.gpuLayers === this.request.gpuLayers;
  }

  completion(): Promise<LlamaCompletion> {
    this.completionParts ??= (async () => {
      const contextSize = this.info.contextSize;
      await assertFits(this.model.llama, this.insights, { modelId: this.id, contextSize, gpuLayers: this.model.gpuLayers, includeModel: false });
      const context = await createContext(this.model, this.id, contextSize);
      return { context, completion: new LlamaCompletion({ contextSequence: context.getSequence() }) };
    })();
    this.completionParts.catch(() => (this.completionParts = undefined));
    return this.completionParts.then((parts) => parts.completion);
  }

  async dispose(): Promise<void> {
    this.chat.dispose();
    const completion = await this.completionParts?.catch(() => undefined);
    await completion?.context.dispose();
    await this.chatContext.dispose();
    await this.model.dispose();
  }
}

async function createContext(model: LlamaModel, modelId: string, contextSize: number): Promise<LlamaContext> {
  try {
    return await model.createContext({ contextSize, sequences: 1 });
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
