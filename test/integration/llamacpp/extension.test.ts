import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtensionType, JanCore, MemoryLogger } from '@jan/core';
import { LlamaCppExtension } from '../../../extensions/llamacpp/extension';
import { LlamaCppEngine } from '../../../extensions/llamacpp/engine';
import { CHAT_FIM_MODEL, testModel, workerPath } from './support/engine-fixture';

describe('LlamaCppExtension', () => {
  it('registers the engine on load, applies its settings, and stops the worker on unload', async () => {
    const logger = new MemoryLogger();
    const core = new JanCore({
      janFolder: path.join(os.tmpdir(), 'jan-unused'),
      modelsFolder: path.join(os.tmpdir(), 'jan-unused-models'),
      logger,
    });
    const resolved = testModel(CHAT_FIM_MODEL);
    resolved.model.settings = {};
    const extension = new LlamaCppExtension(core.context, {
      resolveModel: async (id) => (id === CHAT_FIM_MODEL ? resolved : undefined),
      listModels: async () => [resolved.model],
      workerPath: await workerPath(),
    });
    expect(extension.type()).toBe(ExtensionType.Engine);
    expect(extension.engineSettings()).toEqual({
      threads: 0,
      gpu: 'auto',
      contextSize: 0,
      completionContextSize: 2048,
      idleUnloadMinutes: 15,
      transport: 'process',
      promptLookup: 'auto',
    });
    extension.updateSettings({ threads: 1, gpu: 'off', contextSize: 256, transport: 'nonsense' });
    // "off", the GPU setting's old value, is the CPU.
    expect(extension.engineSettings()).toMatchObject({
      threads: 1,
      gpu: 'cpu',
      contextSize: 256,
      transport: 'process',
      promptLookup: 'auto',
    });

    core.register(extension);
    await core.start();
    const engine = core.engines.get('llamacpp');
    expect(engine?.displayName).toBe(extension.engine.displayName);
    const stopped: string[] = [];
    core.events.on('OnModelStopped', ({ modelId }) => void stopped.push(modelId));
    expect(await engine!.countTokens!(CHAT_FIM_MODEL, 'Hello there')).toBeGreaterThan(0);
    // The model.json sets no ctx_len here, so the engine setting decides.
    expect(engine!.contextSize!(CHAT_FIM_MODEL)).toBe(256);

    await core.extensions.unloadAll();
    expect(core.engines.get('llamacpp')).toBeUndefined();
    expect(stopped).toEqual([CHAT_FIM_MODEL]);
    expect(engine!.status().state).toBe('idle');
  });

  it('says where the worker bundle was expected when it is missing', async () => {
    const engine = new LlamaCppEngine({
      resolveModel: async () => testModel(CHAT_FIM_MODEL),
      settings: () => ({
        threads: 1,
        gpu: 'cpu',
        contextSize: 512,
        completionContextSize: 512,
        idleUnloadMinutes: 0,
        transport: 'process',
        promptLookup: 'auto',
      }),
    });
    await expect(engine.load(CHAT_FIM_MODEL)).rejects.toThrow(
      /The llama\.cpp worker is missing at .*llamacpp-worker\.mjs\. Rebuild the extension/,
    );
  });
});
