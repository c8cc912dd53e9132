import { describe, expect, it } from 'vitest';
import type { MemoryPlan, PlannedModel } from '../../../extensions/llamacpp';
import { contextText, engineStatusMarkdown } from '../../../src/vscode/models/engine-status';

const MiB = 1024 ** 2;
const model = (overrides: Partial<PlannedModel>): PlannedModel => ({
  modelId: 'chat-model',
  roles: ['chat'],
  loaded: true,
  contextSize: 4096,
  trainContextSize: 131_072,
  contextLimit: 'budget',
  sequences: 4,
  completionContextSize: 0,
  gpuLayers: 0,
  totalLayers: 28,
  modelBytes: 1100 * MiB,
  chatBytes: 450 * MiB,
  completionBytes: 0,
  ...overrides,
});

const plan = (models: PlannedModel[]): MemoryPlan => ({
  status: {
    rssBytes: 1700 * MiB,
    heapBytes: 40 * MiB,
    memory: {
      totalRamBytes: 16 * 1024 * MiB,
      freeRamBytes: 9 * 1024 * MiB,
      freeSwapBytes: 0,
      totalVramBytes: 0,
      freeVramBytes: 0,
    },
    gpu: 'cpu',
    threads: 4,
    threadsReason: '8 physical cores, load 4.0, other programs ≈ 4.0 cores',
    gpuFallbackReason: 'Vulkan failed to load: no driver',
    models: [],
  },
  models,
  totalBytes: models.reduce((sum, entry) => sum + entry.modelBytes + entry.chatBytes + entry.completionBytes, 0),
});

describe('Jan: Show Engine Status', () => {
  it('says where llama.cpp computes, with how many threads, and what each model holds', () => {
    const text = engineStatusMarkdown(
      plan([
        model({}),
        model({
          modelId: 'coder',
          roles: ['completion'],
          loaded: false,
          chatBytes: 0,
          completionContextSize: 2048,
          completionBytes: 60 * MiB,
          fit: 'fits',
          reason: 'needs about 1.2 GiB of 16.0 GiB RAM',
        }),
      ]),
      (id) => (id === 'coder' ? 'Qwen2.5 Coder 1.5B' : 'Qwen2.5 1.5B'),
    );
    expect(text).toContain('- **Backend:** CPU (Vulkan failed to load: no driver)');
    expect(text).toContain('- **Threads:** 4 (8 physical cores, load 4.0, other programs ≈ 4.0 cores)');
    expect(text).toContain('## Qwen2.5 1.5B (loaded)');
    expect(text).toContain('| Chat context | 4,096 of 131,072 tokens, set by the memory budget');
    expect(text).toContain('| Chat sequences | 4 (one per recent thread), 450.0 MiB |');
    expect(text).toContain('## Qwen2.5 Coder 1.5B (not loaded: as it would load)');
    expect(text).toContain('| Chat sequences | none made (made by the first chat turn) |');
    expect(text).toContain('| Completion context | 2,048 tokens, 60.0 MiB |');
    expect(text).toContain('| Fit | Fits: needs about 1.2 GiB of 16.0 GiB RAM |');
    expect(text).toContain('- **Models together:** 2.6 GiB');
  });

  it('shows names from model files as text, never as markup', () => {
    const text = engineStatusMarkdown(
      plan([model({})]),
      () => '<img src=x onerror=alert(1)> [click](command:evil) | x',
    );
    expect(text).not.toContain('<img');
    expect(text).not.toContain('](command:');
    expect(text).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it('reads a context as "4,096 of 131,072 tokens"', () => {
    expect(contextText(4096, 131_072)).toBe('4,096 of 131,072 tokens');
  });
});
