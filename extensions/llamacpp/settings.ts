import { SETTINGS, type ExtensionSetting, type SettingKey } from '@jan/core';
import type { TransportKind } from './rpc/transport';

/** What the engine reads before each request (the VS Code settings `jan.engine.*`). */
export interface LlamaCppSettings {
  /** CPU threads; 0: the machine's physical cores. */
  threads: number;
  /** The llama.cpp backend: the best found (auto), one GPU backend, or the CPU. */
  gpu: GpuSetting;
  /**
   * Context length of chat, capped at the model's training context; 0: the largest that fits the
   * memory budget (a thread's own context length wins over both).
   */
  contextSize: number;
  /** Context length of inline completion's own context, capped at the model's training context. */
  completionContextSize: number;
  /** Unload the model and stop the worker after this many idle minutes; 0: never. */
  idleUnloadMinutes: number;
  transport: TransportKind;
  /** Prompt-lookup drafting for replies that edit code (`auto`), or never (`off`). */
  promptLookup: 'auto' | 'off';
}

export const GPU_SETTINGS = ['auto', 'cuda', 'vulkan', 'metal', 'cpu'] as const;
export type GpuSetting = (typeof GPU_SETTINGS)[number];

/** Each setting's key in Jan's registry (src/core/settings/registry.ts), which owns its default and bounds. */
const REGISTRY_KEY = {
  threads: 'jan.engine.threads',
  gpu: 'jan.engine.gpu',
  contextSize: 'jan.engine.contextSize',
  completionContextSize: 'jan.engine.completionContextSize',
  idleUnloadMinutes: 'jan.engine.idleUnloadMinutes',
  transport: 'jan.engine.transport',
  promptLookup: 'jan.engine.promptLookup',
} as const satisfies Record<keyof LlamaCppSettings, SettingKey>;

export const defaultSettings: LlamaCppSettings = {
  threads: SETTINGS[REGISTRY_KEY.threads].default,
  gpu: gpuSetting(SETTINGS[REGISTRY_KEY.gpu].default),
  contextSize: SETTINGS[REGISTRY_KEY.contextSize].default,
  completionContextSize: SETTINGS[REGISTRY_KEY.completionContextSize].default,
  idleUnloadMinutes: SETTINGS[REGISTRY_KEY.idleUnloadMinutes].default,
  transport: SETTINGS[REGISTRY_KEY.transport].default,
  promptLookup: SETTINGS[REGISTRY_KEY.promptLookup].default,
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
    description:
      'Where llama.cpp computes: auto (the best GPU backend found: Metal, CUDA when downloaded, Vulkan; else the CPU), cuda, vulkan, metal, or cpu. A GPU backend that fails to load falls back to the CPU and says why.',
    value: defaultSettings.gpu,
  },
  {
    key: 'contextSize',
    title: 'Context size',
    description:
      "Context length in tokens for chat (capped at the model's training context). 0: the largest that fits this machine's memory budget.",
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
  {
    key: 'promptLookup',
    title: 'Prompt lookup',
    description:
      'Speculative decoding from the prompt for replies that edit code (auto: Fix, Document, Refactor, a message with a code block) or never (off). The output is the same either way.',
    value: defaultSettings.promptLookup,
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
    // The registry still accepts `off`, which `bounded` passes through.
    gpu: gpuSetting(bounded('gpu') as GpuSetting | 'off'),
    contextSize: bounded('contextSize'),
    completionContextSize: bounded('completionContextSize'),
    idleUnloadMinutes: bounded('idleUnloadMinutes'),
    transport: bounded('transport'),
    promptLookup: bounded('promptLookup'),
  };
}

/** The registry's GPU choice as the engine reads it: `off` (the setting's value before GPU backends could be chosen) is the CPU. */
function gpuSetting(value: GpuSetting | 'off'): GpuSetting {
  return value === 'off' ? 'cpu' : value;
}
