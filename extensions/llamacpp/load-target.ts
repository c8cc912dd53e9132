import type { EngineStatus, ModelSettings, ResolvedModel } from '@jan/core';
import { backendName } from './fit';
import type { LlamaCppSettings } from './settings';
import type { WorkerHandle } from './worker-handle';

export interface LoadTarget {
  /** Undefined: the largest that fits the memory budget. */
  contextSize: number | undefined;
  gpuLayers: number | undefined;
}

/**
 * What to ask the worker for: the context the thread's settings name (`chosen`, what the model
 * was last loaded with), else the user's `contextSize` setting, else none (the worker picks the
 * largest that fits the memory budget, worker/model-plan.ts). model.json's `ctx_len` (for
 * imported and downloaded models, the GGUF's training context) is not a request: the worker caps
 * any context at the training context. model.json's `ngl` (Jan's GPU layers) is kept.
 */
export function loadTarget(
  resolved: ResolvedModel,
  chosen: ModelSettings | undefined,
  settings: LlamaCppSettings,
): LoadTarget {
  const modelSettings = { ...resolved.model.settings, ...chosen };
  const gpuLayers = typeof modelSettings.ngl === 'number' && modelSettings.ngl >= 0 ? modelSettings.ngl : undefined;
  return { contextSize: positive(chosen?.ctx_len) ?? positive(settings.contextSize), gpuLayers };
}

/** The backend of the running worker and the layers the model has on the GPU, for the status bar. */
export function backendStatus(worker: WorkerHandle | undefined, modelId: string | undefined): Partial<EngineStatus> {
  if (!worker) return {};
  const loaded = modelId === undefined ? undefined : worker.loaded.get(modelId);
  return {
    backend: backendName(worker.info.gpu),
    ...(worker.info.gpuFallbackReason ? { backendFallback: worker.info.gpuFallbackReason } : {}),
    ...(loaded ? { gpuLayers: loaded.gpuLayers, totalLayers: loaded.totalLayers } : {}),
  };
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}
