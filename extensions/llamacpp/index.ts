export { LlamaCppEngine } from './engine';
export type { BackendInfo, LlamaCppEngineOptions, ModelPlan, WorkerStatus } from './engine';
export { backendName, classifyFit, FIT_LABELS } from './fit';
export type { Fit, FitInput, FitVerdict } from './fit';
export { formatBytes as formatMemory } from './bytes';
export { LlamaCppExtension } from './extension';
export type { LlamaCppExtensionOptions } from './extension';
export { defaultSettings, toSettings } from './settings';
export type { LlamaCppSettings } from './settings';
