import { LlamaLogLevel } from 'node-llama-cpp';
import type { Llama } from 'node-llama-cpp';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import type { Handlers } from '../rpc/server';
import { WorkerError } from '../rpc/server';
import { renderedPromptTokens, runChat } from './chat';
import { runCompletion } from './complete';
import { startBackend } from './backend';
import { runEmbedding } from './embed';
import { toHistory } from './history';
import { LoadedModel } from './loaded-model';
import { inspectModelFile } from './model-file';
import { planModel } from './model-plan';
import { Mutex } from './mutex';
import { ThreadGovernor } from './thread-count';
import type { ThreadChoice } from './thread-count';
import { detokenize, tokenize } from './tokens';
import { toFunctions } from './tool-turn';

export type WorkerLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** The worker's state: one llama.cpp instance and the models loaded in it, by id. */
export function createHandlers(log: WorkerLog): Handlers {
  let llama: Llama | undefined;
  let started: ResultOf<'init'> | undefined;
  let governor: ThreadGovernor | undefined;
  const models = new Map<string, LoadedModel>();
  // Loads and unloads one at a time, so two requests for one model never load it twice.
  const lifecycle = new Mutex();

  const requireLlama = (): Llama => {
    if (!llama) throw new WorkerError('UNKNOWN', 'The llama.cpp worker was not initialised');
    return llama;
  };
  const requireGovernor = (): ThreadGovernor => {
    if (!governor) throw new WorkerError('UNKNOWN', 'The llama.cpp worker was not initialised');
    return governor;
  };
  /** The threads of the next generation, chosen now from the cores and the machine's load (thread-count.ts). */
  const useThreads = (): ThreadChoice => {
    const choice = requireGovernor().next();
    requireLlama().maxThreads = choice.threads;
    return choice;
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
      const backend = await startBackend(args.gpu, args.backendsFolder, base);
      llama = backend.llama;
      // node-llama-cpp's CPU default is max(4, cores): on a 2-core machine 4 threads ran 40x slower.
      governor = new ThreadGovernor(llama.cpuMathCores, args.threads > 0 ? args.threads : undefined);
      llama.maxThreads = governor.ceiling;
      const threads = governor.next();
      started = {
        gpu: llama.gpu === false ? 'cpu' : llama.gpu,
        threads: threads.threads,
        threadsReason: threads.reason,
        gpuFallbackReason: backend.fallbackReason,
        version: backend.version,
        cuda: backend.cuda,
      };
      return started;
    },

    async plan(args) {
      const llama = requireLlama();
      return planModel(llama, await inspectModelFile(llama, args.modelId, args.filePath), args);
    },

    load: (args, { signal }) =>
      lifecycle.run(async () => {
        const current = models.get(args.modelId);
        if (current?.loadedWith(args)) return current.info;
        if (current) await unloadModel(current);
        // Contexts take their thread count when made: the most; each generation then uses what the machine allows.
        const llama = requireLlama();
        llama.maxThreads = requireGovernor().ceiling;
        const loaded = await LoadedModel.load(llama, args, signal, (message) => log('warn', message));
        models.set(args.modelId, loaded);
        return loaded.info;
      }),

    async status() {
      const init = started;
      if (!init) throw new WorkerError('UNKNOWN', 'The llama.cpp worker was not initialised');
      const llama = requireLlama();
      const [loaded, ram, swap, vram] = await Promise.all([
        Promise.all([...models.values()].map((model) => model.status())),
        llama.getRamState(),
        llama.getSwapState(),
        llama.getVramState(),
      ]);
      const memory = {
        totalRamBytes: ram.total,
        freeRamBytes: ram.free,
        freeSwapBytes: Math.max(0, swap.allocated - swap.used),
        totalVramBytes: vram.total,
        freeVramBytes: vram.free,
      };
      const threads = requireGovernor().current;
      const usage = process.memoryUsage();
      return {
        ...init,
        threads: threads.threads,
        threadsReason: threads.reason,
        rssBytes: usage.rss,
        heapBytes: usage.heapTotal,
        memory,
        models: loaded,
      };
    },

    unload: (args: ArgsOf<'unload'>) =>
      lifecycle.run(async () => {
        const targets =
          args.modelId === undefined
            ? [...models.values()]
            : [models.get(args.modelId)].filter((model) => model !== undefined);
        for (const model of targets) await unloadModel(model);
        return { unloaded: targets.map((model) => model.id) };
      }),

    async chat(args, context) {
      const model = requireModel(args.modelId);
      const threads = useThreads();
      return { ...(await runChat(model, args, context)), threads: threads.threads, threadsReason: threads.reason };
    },

    async complete(args, context) {
      const model = requireModel(args.modelId);
      requireLlama().maxThreads = requireGovernor().ceiling;
      await model.completion();
      useThreads();
      return runCompletion(model, args, context);
    },

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
