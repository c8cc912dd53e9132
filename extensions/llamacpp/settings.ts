import type { ExtensionSetting } from '@jan/core';
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

export const defaultSettings: LlamaCppSettings = {
  threads: 0,
  gpu: 'auto',
  contextSize: 0,
  completionContextSize: 2048,
  idleUnloadMinutes: 15,
  transport: 'process',
  promptLookup: 'auto',
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

/** Reads settings values of any origin, falling back to the default for anything out of range. */
export function toSettings(read: (key: keyof LlamaCppSettings) => unknown): LlamaCppSettings {
  const count = (key: keyof LlamaCppSettings, min: number, fallback: number) => {
    const value = read(key);
    return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
  };
  return {
    threads: Math.floor(count('threads', 0, defaultSettings.threads)),
    gpu: gpuSetting(read('gpu')),
    contextSize: Math.floor(count('contextSize', 0, defaultSettings.contextSize)),
    completionContextSize: Math.floor(count('completionContextSize', 256, defaultSettings.completionContextSize)),
    idleUnloadMinutes: count('idleUnloadMinutes', 0, defaultSettings.idleUnloadMinutes),
    transport: read('transport') === 'thread' ? 'thread' : 'process',
    promptLookup: read('promptLookup') === 'off' ? 'off' : 'auto',
  };
}

/** A GPU setting of any origin; `off` (the setting's value before GPU backends could be chosen) is the CPU. */
function gpuSetting(value: unknown): GpuSetting {
  if (value === 'off') return 'cpu';
  return GPU_SETTINGS.find((setting) => setting === value) ?? defaultSettings.gpu;
}
