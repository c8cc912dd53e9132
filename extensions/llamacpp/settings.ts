import { SETTINGS, type ExtensionSetting, type SettingKey } from '@jan/core';
import type { TransportKind } from './rpc/transport';

/** What the engine reads before each request (the VS Code settings `jan.engine.*`). */
export interface LlamaCppSettings {
  /** CPU threads; 0: the machine's physical cores. */
  threads: number;
  gpu: 'auto' | 'off';
  /** Wanted context length, capped at the model's training context. */
  contextSize: number;
  /** Context length of inline completion's own context, capped at the model's training context. */
  completionContextSize: number;
  /** Unload the model and stop the worker after this many idle minutes; 0: never. */
  idleUnloadMinutes: number;
  transport: TransportKind;
}

/** Each setting's key in Jan's registry (src/core/settings/registry.ts), which owns its default and bounds. */
const REGISTRY_KEY = {
  threads: 'jan.engine.threads',
  gpu: 'jan.engine.gpu',
  contextSize: 'jan.engine.contextSize',
  completionContextSize: 'jan.engine.completionContextSize',
  idleUnloadMinutes: 'jan.engine.idleUnloadMinutes',
  transport: 'jan.engine.transport',
} as const satisfies Record<keyof LlamaCppSettings, SettingKey>;

export const defaultSettings: LlamaCppSettings = {
  threads: SETTINGS[REGISTRY_KEY.threads].default,
  gpu: SETTINGS[REGISTRY_KEY.gpu].default,
  contextSize: SETTINGS[REGISTRY_KEY.contextSize].default,
  completionContextSize: SETTINGS[REGISTRY_KEY.completionContextSize].default,
  idleUnloadMinutes: SETTINGS[REGISTRY_KEY.idleUnloadMinutes].default,
  transport: SETTINGS[REGISTRY_KEY.transport].default,
};

export const settingDescriptors: ExtensionSetting[] = [
  {
    key: 'threads',
    title: 'Threads',
    description: "CPU threads for llama.cpp. 0: the machine's physical cores.",
    value: defaultSettings.threads,
  },
  {
    key: 'gpu',
    title: 'GPU',
    description: 'Use a GPU when one is found (auto) or always run on the CPU (off).',
    value: defaultSettings.gpu,
  },
  {
    key: 'contextSize',
    title: 'Context size',
    description: "Context length in tokens for chat (capped at the model's training context).",
    value: defaultSettings.contextSize,
  },
  {
    key: 'completionContextSize',
    title: 'Completion context size',
    description:
      "Context length in tokens for inline completion (capped at the model's training context). Longer sees more code, shorter answers sooner.",
    value: defaultSettings.completionContextSize,
  },
  {
    key: 'idleUnloadMinutes',
    title: 'Idle unload',
    description: 'Unload a model after this many minutes without use. 0: never.',
    value: defaultSettings.idleUnloadMinutes,
  },
  {
    key: 'transport',
    title: 'Worker transport',
    description: 'Where llama.cpp runs: a child process (process) or a worker thread (thread).',
    value: defaultSettings.transport,
  },
];

/** Reads settings values of any origin within the registry's bounds (the same rules the editor's settings have). */
export function toSettings(read: (key: keyof LlamaCppSettings) => unknown): LlamaCppSettings {
  const bounded = <K extends keyof LlamaCppSettings>(key: K) => {
    const raw = read(key);
    const spec = SETTINGS[REGISTRY_KEY[key]];
    return (raw === undefined ? spec.default : spec.read(raw, REGISTRY_KEY[key]).value) as LlamaCppSettings[K];
  };
  return {
    threads: bounded('threads'),
    gpu: bounded('gpu'),
    contextSize: bounded('contextSize'),
    completionContextSize: bounded('completionContextSize'),
    idleUnloadMinutes: bounded('idleUnloadMinutes'),
    transport: bounded('transport'),
  };
}
