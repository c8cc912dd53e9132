import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KV_RAM_SHARE, MIN_CHAT_SEQUENCES } from '../../../extensions/llamacpp/worker/model-plan';
import type { JanRuntime } from '../../../src/node/runtime';
import { writeGgufVariant } from '../../support/gguf-variant';
import { newThread, openTestRuntime, type TestRuntime } from '../../support/test-runtime';
import { STORIES_FIM, TINYSTORIES } from '../../support/test-models';
import { SMALL_ENGINE } from '../../support/test-settings';
import { writeHugeGguf } from './support/huge-gguf';
import { workerPath } from './support/engine-fixture';

/**
 * The context rule through the runtime a user runs (src/node/runtime.ts): a model imported from
 * a GGUF "trained" at 131,072 tokens (the real test weights with that metadata) gets the user's
 * setting, else the largest context the memory budget allows, never more than it was trained on.
 */
const TRAINED = 131_072;
let fixture: TestRuntime;
let root: string;
let runtime: JanRuntime;
let longModel: string;
let shortModel: string;
let hugeModel: string;

beforeAll(async () => {
  fixture = await openTestRuntime({
    prefix: 'jan-context-rule-',
    workerPath: await workerPath(),
    settings: { ...SMALL_ENGINE, 'jan.engine.contextSize': 1024 },
  });
  ({ root, runtime } = fixture);
  const long = path.join(root, 'stories-long-context.gguf');
  writeGgufVariant(STORIES_FIM, long, { 'llama.context_length': TRAINED });
  longModel = (await runtime.models.importModel(long, { mode: 'reference' })).id;
  fixture.set('jan.chatModel', longModel);
  shortModel = (await runtime.models.importModel(TINYSTORIES, { mode: 'reference' })).id;
  const huge = path.join(root, 'huge-long-context.gguf');
  writeHugeGguf(huge, 80, TRAINED);
  hugeModel = (await runtime.models.importModel(huge, { mode: 'reference' })).id;
}, 180_000);

afterAll(() => fixture?.dispose());

const engine = () => runtime.llamacpp.engine;

describe('the chat context: the setting, else the memory budget, never above the training context', () => {
  it('imports the training context into model.json, yet the user setting decides the context', async () => {
    const record = await runtime.models.getModel(longModel);
    expect(record?.settings.ctx_len).toBe(TRAINED);
    await runtime.inference.prepare({ id: longModel, engine: 'llamacpp' });
    expect(engine().contextSize(longModel)).toBe(1024);
    const plan = await engine().plan(longModel);
    expect(plan).toMatchObject({ contextSize: 1024, trainContextSize: TRAINED, contextLimit: 'setting', fit: 'fits' });
  });

  it('a chat turn runs in that context and counts its prompt in it', async () => {
    const thread = await newThread(runtime);
    const { reply } = await runtime.conversation.send(thread.id, 'Tell me about a cat.');
    expect(reply.status).toBe('ready');
    expect(engine().contextSize(longModel)).toBe(1024);
    // The thread settings say "default: 1,024 of 131,072 tokens".
    expect(await runtime.conversation.contextUsage(thread.id)).toMatchObject({ limit: 1024, trained: TRAINED });
  });

  it("a thread's own context length wins over the setting", async () => {
    const thread = await newThread(runtime, { settings: { ctx_len: 768 } });
    expect((await runtime.conversation.send(thread.id, 'A short story, please.')).reply.status).toBe('ready');
    expect(engine().contextSize(longModel)).toBe(768);
  });

  it('without a setting, takes the largest context whose chat sequences fit the budget', async () => {
    fixture.set('jan.engine.contextSize', 0);
    // A thread without a context length of its own (the last one set 768).
    await runtime.inference.prepare({ id: longModel, engine: 'llamacpp' }, {});
    const plan = await engine().plan(longModel);
    expect(plan.trainContextSize).toBe(TRAINED);
    expect(plan.contextSize).toBeLessThanOrEqual(TRAINED);
    expect(plan.contextSize % 1024).toBe(0);
    // The tiny test model's KV cache is small: the budget allows its whole training context.
    expect(plan.contextLimit).toBe('training');
    expect(plan.chatRamBytes).toBeLessThanOrEqual(
      plan.totalRamBytes * KV_RAM_SHARE * (plan.sequences / MIN_CHAT_SEQUENCES),
    );
    expect(engine().contextSize(longModel)).toBe(plan.contextSize);
    fixture.set('jan.engine.contextSize', 1024);
  });

  it('never goes above the training context, whatever the setting', async () => {
    fixture.set('jan.engine.contextSize', 4096);
    const plan = await engine().plan(shortModel);
    expect(plan).toMatchObject({ contextSize: 512, trainContextSize: 512, contextLimit: 'training' });
    fixture.set('jan.engine.contextSize', 1024);
  });

  it("a model whose KV cache outgrows the budget gets a smaller context, and one that won't fit says why before it loads", async () => {
    fixture.set('jan.engine.contextSize', 0);
    const plan = await engine().plan(hugeModel);
    expect(plan.trainContextSize).toBe(TRAINED);
    expect(plan.contextSize).toBeLessThan(TRAINED);
    expect(['budget', 'memory']).toContain(plan.contextLimit);
    // 80 layers of 8192-wide F16 weights: far more than this machine's memory.
    expect(plan.fit).toBe('wont');
    expect(plan.reason).toMatch(/needs about [\d.]+ GiB of memory/);
    expect(plan.modelBytes).toBeGreaterThan(plan.totalRamBytes / 2);
    await expect(runtime.inference.prepare({ id: hugeModel, engine: 'llamacpp' })).rejects.toMatchObject({
      code: 'INSUFFICIENT_MEMORY',
    });
    fixture.set('jan.engine.contextSize', 1024);
  });
});
