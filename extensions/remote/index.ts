export { RemoteEngine } from './engine';
export type { RemoteEngineOptions } from './engine';
export { RemoteEnginesExtension } from './extension';
export type { RemoteEngineSource, RemoteExtensionOptions } from './extension';
export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, isLoopback, parseDefinition, whereCodeGoes } from './definition';
export type { RemoteEngineDefinition } from './definition';
export { FIM_MODES, REMOTE_PRESETS, presetById } from './presets';
export type { FimMode, PresetId, RemotePreset } from './presets';
