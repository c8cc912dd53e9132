import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import type { Llama } from 'node-llama-cpp';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import type { Handlers } from '../rpc/server';
import { WorkerError } from '../rpc/server';
import { renderedPromptTokens, runChat } from './chat';
import { runCompletion } from './complete';
import { runEmbedding } from './embed';
import { toHistory } from './history';
import { LoadedModel } from './loaded-model';
import { Mutex } from './mutex';
import { detokenize, tokenize } from './tokens';
import { toFunctions } from './tool-turn';

export type WorkerLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** The worker's state: one llama.cpp instance and the models loaded in it, by id. */
export function createHandlers(log: WorkerLog): Handlers {
  let llama: Llama | undefined;
  let started: ResultOf<'init'> | undefined;
  const models = new Map<string, LoadedModel>();
  // Loads and unloads one at a time, so two requests for one model never load it twice.
  const lifecycle = new Mutex();

  const requireLlama = (): Llama => {
    if (!llama) throw new WorkerError('UNKNOWN', 'The llama.cpp worker was not initialised');
    return llama;
  };
  const requireModel = (modelId: string): LoadedModel => {
    const model = models.get(modelId);
    if (!model) throw new WorkerError('NO_MODEL', `Model "${modelId}" is not loaded`);
    return model;
  };

  return {
    async init(args) {
      if (started) return started;
      const base = {
        build: 'never' as const,
        logLevel: LlamaLogLevel.warn,
        logger: (level: LlamaLogLevel, message: string) =>
          log(
            level === LlamaLogLevel.error || level === LlamaLogLevel.fatal ? 'error' : 'debug',
            `llama.cpp: ${message.trim()}`,
          ),
        maxThreads: args.threads > 0 ? args.threads : undefined,
      };
      let gpuFallbackReason: string | undefined;
      if (args.gpu === 'auto') {
        try {
          llama = await getLlama({ ...base, gpu: 'auto' });
        } catch (error) {
          gpuFallbackReason = (error as Error).message;
        }
      }
      llama ??= await getLlama({ ...base, gpu: false });
      // node-llama-cpp's CPU default is max(4, cores): on a 2-core machine 4 threads ran 40x slower.
      if (args.threads <= 0) llama.maxThreads = llama.cpuMathCores;
      started = { gpu: llama.gpu === false ? 'cpu' : llama.gpu, threads: llama.maxThreads, gpuFallbackReason };
      return started;
    },

    load: (args, { signal }) =>
      lifecycle.run(async () => {
        const current = models.get(args.modelId);
        if (current?.loadedWith(args)) return current.info;
        if (current) await unloadModel(current);
        const loaded = await LoadedModel.load(requireLlama(), args, signal, (message) => log('warn', message));
        models.set(args.modelId, loaded);
        return loaded.info;
      }),

    unload: (args: ArgsOf<'unload'>) =>
      lifecycle.run(async () => {
        const targets =
          args.modelId === undefined
            ? [...models.values()]
            : [models.get(args.modelId)].filter((model) => model !== undefined);
        for (const model of targets) await unloadModel(model);
        return { unloaded: targets.map((model) => model.id) };
      }),

    chat: (args, context) => runChat(requireModel(args.modelId), args, context),

    complete: (args, context) => runCompletion(requireModel(args.modelId), args, context),

    embed: (args, context) => runEmbedding(requireModel(args.modelId), args, context),

    async countTokens(args) {
      return { tokens: requireModel(args.modelId).model.tokenize(args.text).length };
    },

    async tokenize(args) {
      return tokenize(requireModel(args.modelId), args);
    },

    async detokenize(args) {
      return detokenize(requireModel(args.modelId), args);
    },

    async countChatTokens(args) {
      const history = toHistory(args.messages);
      return { tokens: renderedPromptTokens(requireModel(args.modelId), history, toFunctions(args.tools)).length };
    },
  };

  async function unloadModel(model: LoadedModel): Promise<void> {
    models.delete(model.id);
    await model.dispose();
  }
}
