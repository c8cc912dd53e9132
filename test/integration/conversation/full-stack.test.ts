import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_ENGINE, testSettings } from '../../support/test-settings';
import { conversationTurns, estimateUsage, MemoryLogger, textOf } from '@jan/core';
import type { Thread } from '@jan/core';
import { JanRuntime } from '../../../src/node/runtime';
import { CHAT_FIM_MODEL, CRASHING_MODEL, modelsFolder, workerPath } from '../llamacpp/support/engine-fixture';

/**
 * The whole headless runtime the VS Code extension runs (src/node/runtime.ts): the real store,
 * the models registry with imported GGUFs, the llama.cpp engine in its child process, and the
 * conversation service.
 */
let root: string;
let runtime: JanRuntime;
let chatModel: string | undefined;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-full-stack-'));
  runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger: new MemoryLogger(),
    workerPath: await workerPath(),
    downloadWorkerPath: path.join(root, 'unused-download-worker.mjs'),
    settings: testSettings({ ...SMALL_ENGINE, 'jan.chatModel': () => chatModel }),
  });
  expect(await runtime.start()).toEqual([]);
  for (const id of [CHAT_FIM_MODEL, CRASHING_MODEL]) {
    await runtime.models.importModel(path.join(modelsFolder, `${id}.gguf`), { mode: 'reference' });
  }
  chatModel = await installed('chatml');
}, 180_000);

async function installed(part: string): Promise<string> {
  return (await runtime.models.listModels()).models
    .map((model) => model.id)
    .find((id) => id.toLowerCase().includes(part))!;
}

afterAll(async () => {
  await runtime?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function newThread(): Promise<Thread> {
  const { assistants: list } = await runtime.assistants.listAssistants();
  const jan = list[0]!;
  return runtime.conversational.createThread({
    assistants: [
      {
        assistant_id: jan.id,
        assistant_name: jan.name,
        instructions: jan.instructions,
        model: { id: '*', engine: 'llamacpp', settings: {}, parameters: { max_tokens: 24, temperature: 0 } },
      },
    ],
  });
}

describe('the headless stack with a real model', () => {
  it('streams a real reply into .jan and reuses the KV cache on the next turn', async () => {
    const thread = await newThread();
    let updates = 0;
    const subscription = runtime.core.events.on('OnMessageUpdate', () => void (updates += 1));
    const { reply: first } = await runtime.conversation.send(thread.id, 'Tell me a story about a cat.');
    expect(first.status).toBe('ready');
    expect(textOf(first).length).toBeGreaterThan(0);
    expect(first.metadata).toMatchObject({ model: chatModel, engine: 'llamacpp' });
    expect(first.metadata!.completion_tokens).toBeGreaterThan(0);
    expect(first.metadata!.completion_tokens).toBeLessThanOrEqual(24);
    expect(first.metadata!.tokens_per_second).toBeGreaterThan(0);
    expect(updates).toBeGreaterThan(2);
    subscription.dispose();

    const { reply: second } = await runtime.conversation.send(thread.id, 'And then what happened?');
    expect(second.status).toBe('ready');
    // The second turn's prompt starts with the whole first exchange, already in the KV cache.
    expect(second.metadata!.cached_prompt_tokens).toBeGreaterThanOrEqual(first.metadata!.prompt_tokens as number);
    const { messages } = await runtime.conversational.listMessages(thread.id);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect((await runtime.conversational.getThread(thread.id))!.title).toBe('Tell me a story about a cat.');
  }, 180_000);

  it("meters the context with the model's tokenizer while it is loaded, and estimates without loading it", async () => {
    const thread = await newThread();
    const { reply: first } = await runtime.conversation.send(thread.id, 'Tell me a story about a cat and a dog.');
    const promptTokens = first.metadata!.prompt_tokens as number;
    const counted = await runtime.conversation.contextUsage(thread.id);
    // The history now holds that whole prompt and the reply: the count cannot be below the prompt.
    expect(counted.used).toBeGreaterThanOrEqual(promptTokens);
    const { messages } = await runtime.conversational.listMessages(thread.id);
    const instructions = (await runtime.conversational.getThread(thread.id))!.assistants[0]!.instructions ?? '';
    expect(counted.used).toBe(
      await runtime.llamacpp.engine.countChatTokens(chatModel!, [
        ...(instructions ? [{ role: 'system' as const, content: instructions }] : []),
        ...conversationTurns(messages),
      ]),
    );
    await runtime.inference.unload({ id: chatModel!, engine: 'llamacpp' });
    const estimated = await runtime.conversation.contextUsage(thread.id);
    expect(estimated.used).toBe(estimateUsage(messages, instructions));
    // This model's 512-token vocabulary makes about two characters a token: the estimate is far below.
    expect(estimated.used).toBeLessThan(promptTokens);
    expect(runtime.inference.loaded()).toEqual([]);
  }, 180_000);

  it('survives a native crash of llama.cpp: the reply fails clearly and the next one works', async () => {
    const thread = await newThread();
    chatModel = await installed('tinystories');
    // This model's vocabulary has no `#`: tokenizing it aborts inside llama.cpp (models README).
    const { reply: crashed } = await runtime.conversation.send(thread.id, '# heading');
    expect(crashed.status).toBe('error');
    expect(crashed.metadata?.error_code).toBe('WORKER_CRASHED');
    expect(String(crashed.metadata?.error)).toMatch(/crashed/);

    chatModel = await installed('chatml');
    const { reply: recovered } = await runtime.conversation.regenerate(thread.id);
    expect(recovered.status).toBe('ready');
    expect(textOf(recovered).length).toBeGreaterThan(0);
  }, 180_000);
});
