import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  boundCompletionSettings,
  boundEngineSettings,
  COMPLETION_LIMITS,
  ENGINE_LIMITS,
} from '../../../src/vscode/setting-bounds';

const defaults = {
  threads: 0,
  gpu: 'auto',
  contextSize: 4096,
  completionContextSize: 2048,
  idleUnloadMinutes: 15,
  transport: 'process',
};

describe('engine settings a workspace can set', () => {
  it('passes sane values through without a warning', () => {
    expect(boundEngineSettings({ ...defaults, threads: 4 }, 8)).toEqual({
      values: { ...defaults, threads: 4 },
      warnings: [],
    });
  });

  it('clamps absurd thread counts to the machine, with a warning naming the setting', () => {
    const { values, warnings } = boundEngineSettings({ ...defaults, threads: 100_000 }, 8);
    expect(values.threads).toBe(8);
    expect(warnings).toEqual([expect.stringMatching(/jan\.engine\.threads is 100000.*using 8/)]);
    for (const bad of [-3, Number.NaN, 'many', 2.5e300]) {
      const bounded = boundEngineSettings({ ...defaults, threads: bad }, 8);
      expect(bounded.values.threads, String(bad)).toBeGreaterThanOrEqual(0);
      expect(bounded.values.threads, String(bad)).toBeLessThanOrEqual(8);
      expect(bounded.warnings, String(bad)).toHaveLength(1);
    }
  });

  it('clamps the context size to its bounds, with a warning', () => {
    expect(boundEngineSettings({ ...defaults, contextSize: 1e12 }, 8)).toMatchObject({
      values: { contextSize: ENGINE_LIMITS.contextSize.max },
      warnings: [expect.stringMatching(/jan\.engine\.contextSize is 1000000000000.*using 131072/)],
    });
    expect(boundEngineSettings({ ...defaults, contextSize: 3 }, 8).values.contextSize).toBe(
      ENGINE_LIMITS.contextSize.min,
    );
    expect(boundEngineSettings({ ...defaults, contextSize: 5000.7 }, 8).values.contextSize).toBe(5000);
    expect(boundEngineSettings({ ...defaults, contextSize: Number.POSITIVE_INFINITY }, 8).values.contextSize).toBe(
      ENGINE_LIMITS.contextSize.max,
    );
  });

  it('clamps the completion context size the same way', () => {
    expect(boundEngineSettings({ ...defaults, completionContextSize: 1e9 }, 8)).toMatchObject({
      values: { completionContextSize: ENGINE_LIMITS.contextSize.max, contextSize: 4096 },
      warnings: [expect.stringMatching(/jan\.engine\.completionContextSize is 1000000000.*using 131072/)],
    });
    expect(boundEngineSettings({ ...defaults, completionContextSize: 'big' }, 8).values.completionContextSize).toBe(
      2048,
    );
  });

  it('accepts only the known transports and GPU modes', () => {
    const { values, warnings } = boundEngineSettings({ ...defaults, transport: 'inline', gpu: 'cuda;rm -rf' }, 8);
    expect(values).toMatchObject({ transport: 'process', gpu: 'auto' });
    expect(warnings).toHaveLength(2);
  });

  it('bounds the inline completion numbers a workspace can set', () => {
    const sane = { debounceMs: 200, maxTokens: 96, minChars: 3, timeLimitMs: 1500, maxLines: 12 };
    expect(boundCompletionSettings(sane)).toEqual({ values: sane, warnings: [] });
    const absurd = boundCompletionSettings({
      debounceMs: -5,
      maxTokens: 1e9,
      minChars: 1e6,
      timeLimitMs: 1,
      maxLines: 0,
    });
    expect(absurd.values).toEqual({
      debounceMs: 0,
      maxTokens: COMPLETION_LIMITS.maxTokens.max,
      minChars: COMPLETION_LIMITS.minChars.max,
      timeLimitMs: COMPLETION_LIMITS.timeLimitMs.min,
      maxLines: COMPLETION_LIMITS.maxLines.min,
    });
    expect(absurd.warnings).toEqual([
      expect.stringMatching(/debounceMs is -5/),
      expect.stringMatching(/maxTokens is 1000000000/),
      expect.stringMatching(/minChars is 1000000/),
      expect.stringMatching(/timeLimitMs is 1;/),
      expect.stringMatching(/maxLines is 0/),
    ]);
    expect(
      boundCompletionSettings({
        debounceMs: 'soon',
        maxTokens: Number.NaN,
        minChars: null,
        timeLimitMs: '5',
        maxLines: 'many',
      }).values,
    ).toEqual(sane);
  });

  it('the manifest keeps the transport out of untrusted workspaces and declares the bounds', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, { minimum?: number; maximum?: number }> } };
    };
    expect(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations).toEqual(
      expect.arrayContaining(['jan.engine.transport']),
    );
    const properties = manifest.contributes.configuration.properties;
    expect(properties['jan.engine.contextSize']).toMatchObject({
      minimum: ENGINE_LIMITS.contextSize.min,
      maximum: ENGINE_LIMITS.contextSize.max,
    });
    expect(properties['jan.engine.threads']).toMatchObject({ minimum: 0 });
    expect(properties['jan.inlineCompletion.maxTokens']).toMatchObject({
      minimum: 1,
      maximum: COMPLETION_LIMITS.maxTokens.max,
    });
    for (const [key, bounds] of Object.entries(COMPLETION_LIMITS)) {
      expect(properties[`jan.inlineCompletion.${key}`]).toMatchObject({ minimum: bounds.min, maximum: bounds.max });
    }
    expect(properties['jan.engine.completionContextSize']).toMatchObject({
      minimum: ENGINE_LIMITS.completionContextSize.min,
      maximum: ENGINE_LIMITS.completionContextSize.max,
    });
  });
});
