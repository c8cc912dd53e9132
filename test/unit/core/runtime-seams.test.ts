import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JanSettings, MemorySettings, MemoryLogger } from '@jan/core';
import { JanRuntime } from '../../../src/node/runtime';
import { ScriptedEngine } from '../../support/scripted-engine';

let root: string | undefined;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

async function runtime(settings?: JanSettings): Promise<JanRuntime> {
  root = mkdtempSync(path.join(tmpdir(), 'jan-runtime-seams-'));
  const built = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger: new MemoryLogger(),
    workerPath: path.join(root, 'no-worker.mjs'),
    downloadWorkerPath: path.join(root, 'no-downloads.mjs'),
    ...(settings ? { settings } : {}),
  });
  await built.start();
  return built;
}

describe('the runtime seams', () => {
  it('builds the chat session over its own services; stopping carries out the deletions still waiting', async () => {
    const jan = await runtime();
    jan.engines.register(new ScriptedEngine({ id: 'scripted', models: ['chat-1'] }));
    const session = jan.openChatSession({ undoDeleteMs: 60_000 });
    await session.chooseModel(null, 'chat-1');
    const thread = await session.createThread();
    expect(session.activeThreadId).toBe(thread.id);
    expect(thread.assistants[0]?.model).toMatchObject({ id: 'chat-1', engine: 'scripted' });
    const { reply, messages, usage } = await jan.conversation.send(thread.id, 'Hello');
    expect(reply.status).toBe('ready');
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(usage?.used).toBeGreaterThan(0);
    await session.delete(thread.id, () => undefined);
    const folder = path.join(root!, '.jan', 'threads', thread.id);
    expect(existsSync(folder)).toBe(true);
    await jan.stop();
    expect(existsSync(folder)).toBe(false);
  });

  it('reads its settings through the registry and follows changes (the chosen model, the default assistant)', async () => {
    const source = new MemorySettings({ 'jan.chatModel': '  chat-1 ' });
    const jan = await runtime(new JanSettings(source));
    expect(jan.inference.chosenId('chat')).toBe('chat-1');
    source.set('jan.chatModel', 'chat-2');
    expect(jan.inference.chosenId('chat')).toBe('chat-2');
    expect(jan.settings.get('jan.engine.contextSize')).toBe(0);
    expect(jan.llamacpp.engineSettings().threads).toBe(0);
    source.set('jan.engine.threads', 1);
    expect(jan.llamacpp.engineSettings().threads).toBe(1);
    expect(jan.tools).toBe(jan.core.tools);
    await jan.stop();
  });
});
