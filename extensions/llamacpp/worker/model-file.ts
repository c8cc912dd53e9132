import { stat } from 'node:fs/promises';
import { GgufInsights, InsufficientMemoryError, readGgufFileInfo } from 'node-llama-cpp';
import type { Llama } from 'node-llama-cpp';
import { WorkerError } from '../rpc/server';
import { formatBytes } from '../bytes';

/**
 * Checks a model file before llama.cpp sees it: present, a GGUF, complete. llama.cpp's own
 * answer to a bad file is a bare "Failed to load model"; these checks say what is wrong.
 */
export async function inspectModelFile(llama: Llama, modelId: string, filePath: string): Promise<GgufInsights> {
  const size = await fileSize(modelId, filePath);
  let info;
  try {
    info = await readGgufFileInfo(filePath, { sourceType: 'filesystem', logWarnings: false });
  } catch (error) {
    throw new WorkerError(
      'INVALID_MODEL_FILE',
      `The file of model "${modelId}" (${filePath}) is not a GGUF model file: ${(error as Error).message}`,
    );
  }
  // A split model (…-00001-of-0000N.gguf) describes the data of all parts; only its first part is here.
  const whole = info.splicedParts <= 1;
  const headerEnd = info.infoEndOffset ?? 0;
  if (whole && size < headerEnd) throw truncated(modelId, filePath, headerEnd, size);
  let insights: GgufInsights;
  let dataSize: number;
  try {
    insights = await GgufInsights.from(info, llama);
    dataSize = insights.modelSize;
  } catch (error) {
    throw new WorkerError(
      'INVALID_MODEL_FILE',
      `The file of model "${modelId}" (${filePath}) has a damaged GGUF header: ${(error as Error).message}`,
    );
  }
  if (whole && size < headerEnd + dataSize) throw truncated(modelId, filePath, headerEnd + dataSize, size);
  return insights;
}

function truncated(modelId: string, filePath: string, expected: number, size: number): WorkerError {
  return new WorkerError(
    'INVALID_MODEL_FILE',
    `The file of model "${modelId}" (${filePath}) is truncated: its GGUF header describes ${formatBytes(expected)} but the file holds ${formatBytes(size)}. ` +
      'The download or copy was probably cut short; get the file again.',
  );
}

async function fileSize(modelId: string, filePath: string): Promise<number> {
  try {
    const stats = await stat(filePath);
    if (stats.isFile()) return stats.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new WorkerError(
        'MODEL_NOT_FOUND',
        `The file of model "${modelId}" (${filePath}) cannot be read: ${(error as Error).message}`,
      );
    }
  }
  throw new WorkerError(
    'MODEL_NOT_FOUND',
    `The file of model "${modelId}" was not found at ${filePath}. Import or download the model again.`,
  );
}

/** Layers to offload: 0 on the CPU; otherwise what node-llama-cpp finds fits next to the context. */
export async function resolveGpuLayers(
  llama: Llama,
  insights: GgufInsights,
  modelId: string,
  requested: number | undefined,
  contextSize: number,
): Promise<number> {
  if (!llama.supportsGpuOffloading) return 0;
  try {
    const resolved = await insights.configurationResolver.resolveModelGpuLayersV2(
      requested ?? { fitContext: { contextSize } },
    );
    return resolved.gpuLayers;
  } catch (error) {
    if (error instanceof InsufficientMemoryError) {
      throw new WorkerError(
        'INSUFFICIENT_MEMORY',
        `Model "${modelId}" does not fit in GPU memory with ${requested} layers offloaded: ${error.message}`,
      );
    }
    throw error;
  }
}

export interface FitRequest {
  modelId: string;
  contextSize: number;
  gpuLayers: number;
  /** False when the model is already loaded and only a new context is being added. */
  includeModel: boolean;
  /** Sequences of the context, each of `contextSize` tokens; default 1. */
  sequences?: number;
}

/**
 * Refuses, before anything is allocated, a model (and context) that node-llama-cpp estimates
 * will not fit in the free RAM (plus free swap) or free GPU memory. Returns the RAM it needs.
 */
export async function assertFits(llama: Llama, insights: GgufInsights, request: FitRequest): Promise<number> {
  const { modelId, contextSize, gpuLayers, sequences = 1 } = request;
  const [model, context, ram, swap, vram] = await Promise.all([
    request.includeModel ? insights.estimateModelResourceRequirementsV2({ gpuLayers }) : { cpuRam: 0, gpuVram: 0 },
    insights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: gpuLayers, sequences }),
    llama.getRamState(),
    llama.getSwapState(),
    llama.getVramState(),
  ]);
  const freeSwap = Math.max(0, swap.allocated - swap.used);
  const freeRam = ram.free + freeSwap;
  const needRam = model.cpuRam + context.cpuRam;
  const contextText =
    sequences > 1 ? `${sequences} sequences of a ${contextSize}-token context` : `a ${contextSize}-token context`;
  const parts = (modelBytes: number, contextBytes: number) =>
    request.includeModel
      ? `${formatBytes(modelBytes)} for the model and ${formatBytes(contextBytes)} for ${contextText}`
      : `for ${contextText}`;
  if (needRam > freeRam) {
    throw new WorkerError(
      'INSUFFICIENT_MEMORY',
      `Model "${modelId}" needs about ${formatBytes(needRam)} of memory (${parts(model.cpuRam, context.cpuRam)}), ` +
        `but only ${formatBytes(freeRam)} is free${freeSwap > 0 ? ' (RAM and swap)' : ''}. ` +
        'Choose a smaller model or quantization, lower the context size, or close other programs.',
    );
  }
  const needVram = model.gpuVram + context.gpuVram;
  if (needVram > vram.free) {
    throw new WorkerError(
      'INSUFFICIENT_MEMORY',
      `Model "${modelId}" needs about ${formatBytes(needVram)} of GPU memory (${parts(model.gpuVram, context.gpuVram)}), but only ${formatBytes(vram.free)} is free. ` +
        'Offload fewer layers, lower the context size, or choose a smaller model.',
    );
  }
  return needRam;
}
