import * as path from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryPlan } from '../../../extensions/llamacpp/memory-plan';
import { inspectModelFile } from '../../../extensions/llamacpp/worker/model-file';
import { fitCompletionContext } from '../../../extensions/llamacpp/worker/model-plan';
import type { JanRuntime } from '../../../src/node/runtime';
import { STORIES_FIM, TINYSTORIES } from '../../support/test-models';
import { openTestRuntime, type TestRuntime } from '../../support/test-runtime';
import { SMALL_ENGINE } from '../../support/test-settings';
import { collect } from './support/collect';
import { writeHugeGguf } from './support/huge-gguf';
import { workerPath } from './support/engine-fixture';

/** The chat and completion models together, through the runtime: what each holds, and the plan of both. */
let fixture: TestRuntime;
let root: string;
let runtime: JanRuntime;
let chat: string;
let coder: string;

beforeAll(async () => {
  fixture = await openTestRuntime({
    prefix: 'jan-memory-plan-',
    workerPath: await workerPath(),
    settings: { ...SMALL_ENGINE, 'jan.engine.contextSize': 1024, 'jan.engine.completionContextSize': 512 },
  });
  ({ root, runtime } = fixture);
  chat = (await runtime.models.importModel(STORIES_FIM, { mode: 'reference' })).id;
  coder = (await runtime.models.importModel(TINYSTORIES, { mode: 'reference' })).id;
}, 180_000);

afterAll(() => fixture?.dispose());

const engine = () => runtime.llamacpp.engine;
const source = () => ({
  status: () => engine().machineStatus(),
  plan: (id: string, options: { completion?: boolean }) => engine().plan(id, options),
});

describe('the memory plan of the chat and the completion model', () => {
  it('plans both before anything loads: the chat model with its sequences, the completion model with only its context', async () => {
    const plan = await memoryPlan(source(), { chat, completion: coder });
    expect(plan.status.models).toEqual([]);
    const [chatModel, completionModel] = plan.models;
    expect(chatModel).toMatchObject({ modelId: chat, roles: ['chat'], loaded: false, contextSize: 1024 });
    expect(chatModel!.chatBytes).toBeGreaterThan(0);
    expect(chatModel!.completionBytes).toBe(0);
    expect(completionModel).toMatchObject({ modelId: coder, roles: ['completion'], loaded: false, chatBytes: 0 });
    expect(completionModel!.completionContextSize).toBe(512);
    expect(completionModel!.completionBytes).toBeGreaterThan(0);
    expect(plan.totalBytes).toBe(
      plan.models.reduce((sum, model) => sum + model.modelBytes + model.chatBytes + model.completionBytes, 0),
    );
  });

  it('with both loaded, each holds only what it is used for, and completion leaves the chat model loaded', async () => {
    const reply = await collect(
      engine().chat({ model: chat, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 8, session_key: 't' }),
    );
    expect(reply.final?.choices[0]?.finish_reason).toBeTruthy();
    const completion = await runtime.inference.complete(
      { id: coder, engine: 'llamacpp' },
      { prefix: 'Once upon a time', suffix: '', max_tokens: 8 },
    );
    expect(completion.tokens).toBeGreaterThan(0);
    const plan = await memoryPlan(source(), { chat, completion: coder });
    const byId = new Map(plan.models.map((model) => [model.modelId, model]));
    expect(byId.get(chat)).toMatchObject({ loaded: true, completionContextSize: 0, completionBytes: 0 });
    expect(byId.get(chat)!.chatBytes).toBeGreaterThan(0);
    // The completion model never made chat sequences.
    expect(byId.get(coder)).toMatchObject({ loaded: true, chatBytes: 0, completionContextSize: 512 });
    expect(plan.status.models.map((model) => model.modelId).sort()).toEqual([chat, coder].sort());
  });

  it('one FIM model serving both is one loaded copy with both contexts', async () => {
    const completion = await runtime.inference.complete(
      { id: chat, engine: 'llamacpp' },
      { prefix: 'Once upon a time', suffix: ' the end.', max_tokens: 8 },
    );
    expect(completion.tokens).toBeGreaterThan(0);
    const plan = await memoryPlan(source(), { chat, completion: chat });
    const entries = plan.models.filter((model) => model.modelId === chat);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ roles: ['chat', 'completion'], loaded: true, completionContextSize: 512 });
    expect(entries[0]!.chatBytes).toBeGreaterThan(0);
    expect(entries[0]!.completionBytes).toBeGreaterThan(0);
  });

  it('a completion context that does not fit beside the chat is made smaller instead of taking its memory', async () => {
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
    const huge = path.join(root, 'huge.gguf');
    writeHugeGguf(huge, 80, 1_048_576);
    const insights = await inspectModelFile(llama, 'huge', huge);
    // 80 layers of 1024-wide keys and values: 320 KiB a token, far beyond this machine at a million tokens.
    const fitted = await fitCompletionContext(insights, 'huge', 1_048_576, 0).catch((error: Error) => error);
    if (fitted instanceof Error)
      expect(fitted.message).toMatch(/does not fit in the memory left beside the chat model/);
    else {
      expect(fitted).toBeLessThan(1_048_576);
      expect(fitted).toBeGreaterThanOrEqual(256);
    }
    await llama.dispose();
  });
});
