import {
  classifyFit,
  FIT_LABELS,
  formatMemory,
  type Fit,
  type FitVerdict,
  type ModelPlan,
  type WorkerStatus,
} from '../../../extensions/llamacpp';
import { estimateMemoryBytes, ESTIMATE_CONTEXT, type CatalogEntry } from '../../../extensions/models';
import { contextText } from './engine-status';

const ICONS: Record<Fit, string> = { fits: '$(pass)', slow: '$(warning)', wont: '$(error)' };

/** "$(pass) Fits", "$(warning) May be slow", "$(error) Won't fit": how a picker shows a model's fit. */
export function fitBadge(fit: Fit): string {
  return `${ICONS[fit]} ${FIT_LABELS[fit]}`;
}

/** What a picker adds for a local model, from its plan: its fit and its context, and why. */
export function planText(plan: ModelPlan): { description: string; detail: string } {
  return {
    description: `${fitBadge(plan.fit)} · ${contextText(plan.contextSize, plan.trainContextSize)}`,
    detail: `${FIT_LABELS[plan.fit]}: ${plan.reason}.`,
  };
}

/**
 * The fit of a catalog model on this machine now, before it is downloaded: the catalog's estimate
 * at the default context (the same terms node-llama-cpp's estimate has) against the memory the
 * worker reports; on a GPU backend with room for it, in GPU memory.
 */
export function catalogVerdict(entry: CatalogEntry, status: Pick<WorkerStatus, 'memory' | 'gpu'>): FitVerdict {
  const need = estimateMemoryBytes(entry, ESTIMATE_CONTEXT);
  const { memory } = status;
  const onGpu = status.gpu !== 'cpu' && memory.freeVramBytes >= need;
  const layers = entry.architecture.layers;
  return classifyFit({
    needRamBytes: onGpu ? 0 : need,
    needVramBytes: onGpu ? need : 0,
    modelBytes: entry.sizeBytes,
    totalRamBytes: memory.totalRamBytes,
    freeRamBytes: memory.freeRamBytes,
    freeSwapBytes: memory.freeSwapBytes,
    freeVramBytes: memory.freeVramBytes,
    backend: onGpu ? status.gpu : 'cpu',
    gpuLayers: onGpu ? layers : 0,
    totalLayers: layers,
  });
}

/** Bits a weight takes in a Q4_K_M file, the usual smallest quantization worth running. */
const Q4_K_M_BITS = 4.85;

export interface WontFitQuestion {
  message: string;
  detail: string;
  /** A context that would fit, to offer instead (undefined: none would). */
  smallerContext?: number;
}

/** Asked before loading a model that won't fit: why, and what would fit instead (a smaller context or quantization). */
export function wontFitQuestion(name: string, plan: ModelPlan): WontFitQuestion {
  const hints: string[] = [];
  const smallerContext =
    plan.fittingContextSize !== undefined &&
    plan.fittingContextSize >= 512 &&
    plan.fittingContextSize < plan.contextSize
      ? plan.fittingContextSize
      : undefined;
  if (smallerContext)
    hints.push(
      `A ${smallerContext.toLocaleString('en-US')}-token context would fit (the jan.engine.contextSize setting).`,
    );
  const bits = plan.parameters > 0 ? (plan.modelBytes * 8) / plan.parameters : 0;
  if (bits > Q4_K_M_BITS + 0.5)
    hints.push(
      `A Q4_K_M file of this model would take about ${formatMemory((plan.parameters * Q4_K_M_BITS) / 8)} instead of ${formatMemory(plan.modelBytes)}.`,
    );
  else hints.push('A smaller model (fewer parameters) would need less.');
  hints.push('Closing other programs frees memory too.');
  return { message: `${name} won't fit: it ${plan.reason}.`, detail: hints.join(' '), smallerContext };
}
