export { LlamaCppEngine } from './engine';
export type { LlamaCppEngineOptions } from './engine';
export { LlamaCppExtension } from './extension';
export type { LlamaCppExtensionOptions } from './extension';
export { defaultSettings, toSettings } from './settings';
export type { LlamaCppSettings } from './settings';
