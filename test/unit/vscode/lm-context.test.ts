import { describe, expect, it } from 'vitest';
import { ON_THIS_MACHINE, type InferenceEngine, type Model } from '@jan/core';
import { modelContext, toChatInformation } from '../../../src/vscode/lm/lm-messages';
import { modelEntry } from '../../support/scripted-engine';

/**
 * The context VS Code's language model API is told: what the engine will really give the model,
 * never model.json's ctx_len when that is the training context of a local model (131,072 for an
 * imported model, while the engine runs it at the setting or at what fits).
 */
const trainedLong = (): Model => ({ ...modelEntry('long', 'llamacpp'), settings: { ctx_len: 131_072 } });
const local = (contextSize?: number): Pick<InferenceEngine, 'contextSize' | 'runsOn' | 'displayName'> => ({
  displayName: 'llama.cpp',
  runsOn: ON_THIS_MACHINE,
  contextSize: () => contextSize,
});
const remote: Pick<InferenceEngine, 'contextSize' | 'runsOn' | 'displayName'> = {
  displayName: 'Remote',
  runsOn: { kind: 'remote', host: 'api.example.com' },
};

describe("a model's context in VS Code's model list", () => {
  it("is the engine's once it chose one (loaded or planned)", () => {
    expect(modelContext(trainedLong(), local(2048), 0)).toBe(2048);
    const info = toChatInformation(trainedLong(), local(2048), 512, 0);
    expect(info.maxInputTokens + info.maxOutputTokens).toBe(2048);
  });

  it('is the setting for a local model before it loads, never its training context', () => {
    expect(modelContext(trainedLong(), local(), 8192)).toBe(8192);
    // 0: the engine chooses at load; until then a guess that promises no more than a small machine gets.
    expect(modelContext(trainedLong(), local(), 0)).toBe(4096);
    const info = toChatInformation(trainedLong(), local(), undefined, 0);
    expect(info.maxInputTokens + info.maxOutputTokens).toBe(4096);
  });

  it('never exceeds a local model trained on less than the setting', () => {
    const short = { ...modelEntry('short', 'llamacpp'), settings: { ctx_len: 512 } };
    expect(modelContext(short, local(), 8192)).toBe(512);
    expect(modelContext(short, local(), 0)).toBe(512);
  });

  it("is a remote model's declared context (the llama.cpp setting is not its)", () => {
    expect(modelContext(trainedLong(), remote, 8192)).toBe(131_072);
    expect(modelContext(modelEntry('plain', 'remote'), remote, 0)).toBe(4096);
  });
});
