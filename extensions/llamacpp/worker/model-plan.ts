import { InsufficientMemoryError } from 'node-llama-cpp';
import type { GgufInsights, Llama } from 'node-llama-cpp';
import { classifyFit } from '../fit';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import { WorkerError } from '../rpc/server';
import { resolveGpuLayers } from './model-file';

/** Chat sequences per model: one per recent thread, 2 at least (switching between two threads is common). */
export const MIN_CHAT_SEQUENCES = 2;
export const MAX_CHAT_SEQUENCES = 4;
/** The smallest context the automatic choice makes (a model trained on less gets its training context). */
export const AUTO_MIN_CONTEXT = 2048;
/**
 * The memory budget of the automatic context: the KV cache of the model's chat sequences may take
 * an eighth of this machine's RAM (and the GPU memory the offloaded layers leave). A budget of the
 * total, not of what is free now, so the choice (and with it the saved states, written for one
 * context size) does not change from one load to the next.
 */
export const KV_RAM_SHARE = 1 / 8;
/**
 * What a loaded model costs beyond node-llama-cpp's estimate of its weights: llama.cpp's
 * vocabulary and tensor bookkeeping, the load's scratch the allocator keeps, the worker's objects
 * for it. Measured in a fresh worker per test model (bench/engine/hardware.ts): 8–14 MiB. Nothing
 * next to a real model's gigabytes; most of a test model's footprint.
 */
const MODEL_OVERHEAD_BYTES = 10 * 1024 ** 2;
/** Automatic contexts are whole multiples of this, so they read well and move only in steps. */
const CONTEXT_STEP = 1024;

export type ModelPlan = ResultOf<'plan'>;
type Estimate = { cpuRam: number; gpuVram: number };

/**
 * The one rule for a model's memory, used both to label a model before it loads and to load it:
 * the context is the request's (the thread's or the user's setting) when it sets one, else the
 * largest that fits the memory budget and the free memory, never above the model's training
 * context; the chat pool takes as many sequences (2–4) as fit that budget; node-llama-cpp
 * estimates every byte. The verdict (fits / may be slow / won't fit) compares the total with
 * the memory free now.
 */
export async function planModel(llama: Llama, insights: GgufInsights, request: ArgsOf<'plan'>): Promise<ModelPlan> {
  const trainContextSize = insights.trainContextSize ?? request.contextSize ?? AUTO_MIN_CONTEXT;
  const [ram, swap, vram] = await Promise.all([llama.getRamState(), llama.getSwapState(), llama.getVramState()]);
  const freeSwap = Math.max(0, swap.allocated - swap.used);
  const wanted =
    request.contextSize === undefined ? undefined : Math.max(1, Math.min(request.contextSize, trainContextSize));
  const smallest = Math.min(AUTO_MIN_CONTEXT, trainContextSize);
  const firstLayers = await resolveGpuLayers(llama, insights, request.modelId, request.gpuLayers, wanted ?? smallest);
  const firstModel = await insights.estimateModelResourceRequirementsV2({ gpuLayers: firstLayers });
  const memory = { ram: ram.total, freeRam: ram.free, freeSwap, vram: vram.total, freeVram: vram.free };
  const chosen =
    wanted === undefined
      ? await autoContext(llama, insights, {
          trainContextSize,
          smallest,
          gpuLayers: firstLayers,
          model: firstModel,
          memory,
        })
      : { size: wanted, limit: wanted < request.contextSize! ? ('training' as const) : ('setting' as const) };
  // Layers were fitted beside the smallest context; the chosen one may leave room for fewer.
  const gpuLayers =
    wanted === undefined && llama.supportsGpuOffloading
      ? await resolveGpuLayers(llama, insights, request.modelId, request.gpuLayers, chosen.size)
      : firstLayers;
  const weights =
    gpuLayers === firstLayers ? firstModel : await insights.estimateModelResourceRequirementsV2({ gpuLayers });
  const model = { cpuRam: weights.cpuRam + MODEL_OVERHEAD_BYTES, gpuVram: weights.gpuVram };
  const estimate = (contextSize: number, sequences: number) =>
    insights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: gpuLayers, sequences });
  const pool = await poolSize(estimate, chosen.size, model, memory, llama.vramPaddingSize);
  const completionContextSize =
    request.completionContextSize === undefined
      ? 0
      : Math.max(1, Math.min(request.completionContextSize, trainContextSize));
  const completion: Estimate =
    completionContextSize === 0 ? { cpuRam: 0, gpuVram: 0 } : await estimate(completionContextSize, 1);
  const needRam = model.cpuRam + pool.chat.cpuRam + completion.cpuRam;
  const needVram = model.gpuVram + pool.chat.gpuVram + completion.gpuVram;
  const verdict = classifyFit({
    needRamBytes: needRam,
    needVramBytes: needVram,
    modelBytes: insights.modelSize,
    totalRamBytes: ram.total,
    freeRamBytes: ram.free,
    freeSwapBytes: freeSwap,
    freeVramBytes: vram.free,
    backend: llama.gpu === false ? 'cpu' : llama.gpu,
    gpuLayers,
    totalLayers: insights.totalLayers,
  });
  return {
    contextSize: chosen.size,
    trainContextSize,
    contextLimit: chosen.limit,
    sequences: pool.sequences,
    bytesPerSequence: pool.bytesPerSequence,
    gpuLayers,
    totalLayers: insights.totalLayers,
    modelRamBytes: model.cpuRam,
    modelVramBytes: model.gpuVram,
    chatRamBytes: pool.chat.cpuRam,
    chatVramBytes: pool.chat.gpuVram,
    completionContextSize,
    completionRamBytes: completion.cpuRam,
    completionVramBytes: completion.gpuVram,
    totalRamBytes: ram.total,
    freeRamBytes: ram.free,
    freeSwapBytes: freeSwap,
    totalVramBytes: vram.total,
    freeVramBytes: vram.free,
    modelBytes: insights.modelSize,
    parameters: insights.totalParameters,
    fit: verdict.fit,
    reason: verdict.reason,
    ...(verdict.fit === 'wont'
      ? { fittingContextSize: await fittingContext(insights, smallest, trainContextSize, gpuLayers, model, memory) }
      : {}),
  };
}

interface Memory {
  ram: number;
  freeRam: number;
  freeSwap: number;
  vram: number;
  freeVram: number;
}

/** The largest context in the budget, then the largest of those that fits the memory free now. */
async function autoContext(
  llama: Llama,
  insights: GgufInsights,
  options: { trainContextSize: number; smallest: number; gpuLayers: number; model: Estimate; memory: Memory },
): Promise<{ size: number; limit: 'training' | 'budget' | 'memory' }> {
  const { trainContextSize, smallest, gpuLayers, model, memory } = options;
  const budget = await largestContext(insights, smallest, trainContextSize, gpuLayers, MIN_CHAT_SEQUENCES, {
    ram: memory.ram * KV_RAM_SHARE,
    swap: 0,
    vram: Math.max(0, memory.vram - llama.vramPaddingSize - model.gpuVram),
  });
  const ceiling = stepDown(budget ?? smallest, smallest);
  const fitting = await largestContext(
    insights,
    smallest,
    ceiling,
    gpuLayers,
    MIN_CHAT_SEQUENCES,
    freeBesides(model, memory),
  );
  if (fitting === undefined || fitting < ceiling)
    return { size: stepDown(fitting ?? smallest, smallest), limit: 'memory' };
  return { size: ceiling, limit: ceiling >= trainContextSize ? 'training' : 'budget' };
}

/** What a model not yet loaded leaves free of the memory free now. */
function freeBesides(model: Estimate, memory: Memory): { ram: number; swap: number; vram: number } {
  return {
    ram: Math.max(0, memory.freeRam - model.cpuRam),
    swap: memory.freeSwap,
    vram: Math.max(0, memory.freeVram - model.gpuVram),
  };
}

/** The largest context of a won't-fit model that would fit now with one sequence: the smaller context to suggest. */
async function fittingContext(
  insights: GgufInsights,
  smallest: number,
  trainContextSize: number,
  gpuLayers: number,
  model: Estimate,
  memory: Memory,
): Promise<number> {
  const fitting = await largestContext(
    insights,
    Math.min(256, smallest),
    trainContextSize,
    gpuLayers,
    1,
    freeBesides(model, memory),
  );
  return fitting === undefined ? 0 : stepDown(fitting, Math.min(256, smallest));
}

/** node-llama-cpp's search for the largest context between `min` and `max` that fits `room`; undefined when even `min` does not. */
async function largestContext(
  insights: GgufInsights,
  min: number,
  max: number,
  gpuLayers: number,
  sequences: number,
  room: { ram: number; swap: number; vram: number },
): Promise<number | undefined> {
  try {
    return await insights.configurationResolver.resolveContextContextSize(
      { min, max },
      {
        modelGpuLayers: gpuLayers,
        modelTrainContextSize: max,
        sequences,
        getRamState: async () => ({ total: room.ram, free: room.ram }),
        getSwapState: async () => ({ total: room.swap, free: room.swap }),
        getVramState: async () => ({ total: room.vram, free: room.vram, unifiedSize: 0 }),
      },
    );
  } catch (error) {
    if (error instanceof InsufficientMemoryError) return undefined;
    throw error;
  }
}

/**
 * Chat sequences: the most (up to MAX_CHAT_SEQUENCES) whose KV cache stays in the budget and fits
 * the memory free now; at least MIN_CHAT_SEQUENCES when they fit, else one.
 */
async function poolSize(
  estimate: (contextSize: number, sequences: number) => Promise<Estimate>,
  contextSize: number,
  model: Estimate,
  memory: Memory,
  vramPadding: number,
): Promise<{ sequences: number; chat: Estimate; bytesPerSequence: number }> {
  const budgetRam = memory.ram * KV_RAM_SHARE;
  const budgetVram = Math.max(0, memory.vram - vramPadding - model.gpuVram);
  const fitsNow = (context: Estimate) =>
    model.cpuRam + context.cpuRam <= memory.freeRam + memory.freeSwap &&
    model.gpuVram + context.gpuVram <= memory.freeVram;
  const [one, two] = await Promise.all([estimate(contextSize, 1), estimate(contextSize, 2)]);
  const bytesPerSequence = Math.max(0, two.cpuRam + two.gpuVram - one.cpuRam - one.gpuVram);
  for (let sequences = MAX_CHAT_SEQUENCES; sequences > MIN_CHAT_SEQUENCES; sequences--) {
    const context = await estimate(contextSize, sequences);
    if (context.cpuRam <= budgetRam && context.gpuVram <= budgetVram && fitsNow(context))
      return { sequences, chat: context, bytesPerSequence };
  }
  if (!fitsNow(two) && fitsNow(one)) return { sequences: 1, chat: one, bytesPerSequence };
  return { sequences: MIN_CHAT_SEQUENCES, chat: two, bytesPerSequence };
}

function stepDown(size: number, min: number): number {
  return size < CONTEXT_STEP ? size : Math.max(min, Math.floor(size / CONTEXT_STEP) * CONTEXT_STEP);
}

/** The smallest completion context worth having: a few lines around the cursor and the reply. */
const MIN_COMPLETION_CONTEXT = 256;

/**
 * The completion context of a loaded model: the wanted size when it fits the memory free now,
 * else the largest that does (never less than MIN_COMPLETION_CONTEXT). Completion takes what the
 * chat left; it never takes the chat's memory.
 */
export async function fitCompletionContext(
  insights: GgufInsights,
  modelId: string,
  wanted: number,
  gpuLayers: number,
): Promise<number> {
  const min = Math.min(MIN_COMPLETION_CONTEXT, wanted);
  try {
    return await insights.configurationResolver.resolveContextContextSize(
      { min, max: wanted },
      { modelGpuLayers: gpuLayers, modelTrainContextSize: wanted, sequences: 1 },
    );
  } catch (error) {
    if (!(error instanceof InsufficientMemoryError)) throw error;
    throw new WorkerError(
      'INSUFFICIENT_MEMORY',
      `Inline completion with model "${modelId}" needs a context of at least ${min} tokens, which does not fit in the memory left beside the chat model (${error.message}). ` +
        'Choose a smaller completion model (or the chat model itself, if it has fill-in-the-middle tokens), or close other programs.',
    );
  }
}
