import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationService, EngineError, InferenceService, JanCore, MemoryLogger, textOf } from '@jan/core';
import type { Thread, ThreadMessage } from '@jan/core';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { ScriptedEngine } from '../../support/scripted-engine';

let root: string;
let core: JanCore;
let store: JanConversationalExtension;
let engine: ScriptedEngine;
let service: ConversationService;
let updates: ThreadMessage[];
/** The user's chat model setting. */
let chatModel: string | undefined;
let log: MemoryLogger;

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-conversation-'));
  log = new MemoryLogger();
  core = new JanCore({ janFolder: path.join(root, '.jan'), modelsFolder: path.join(root, 'models'), logger: log });
  store = new JanConversationalExtension(core.context);
  core.register(store);
  await core.start();
  engine = new ScriptedEngine({ models: ['tiny'] });
  core.engines.register(engine);
  chatModel = 'tiny';
  const inference = new InferenceService({
    engines: core.engines,
    events: core.events,
    logger: core.context.logger,
    models: () => undefined,
    chosenModelId: () => chatModel,
  });
  service = new ConversationService({
    conversational: store,
    inference,
    events: core.events,
    logger: core.context.logger,
  });
  updates = [];
  core.events.on('OnMessageUpdate', (message) => void updates.push(message));
});

afterEach(async () => {
  await core.stop();
  rmSync(root, { recursive: true, force: true });
});

async function newThread(): Promise<Thread> {
  return store.createThread({
    title: 'New Chat',
    assistants: [
      {
        assistant_id: 'jan',
        assistant_name: 'Jan',
        instructions: 'Be kind.',
        model: { id: '*', engine: 'llamacpp', settings: {}, parameters: {} },
      },
    ],
  });
}

function storedLines(threadId: string): unknown[] {
  return readFileSync(path.join(root, '.jan', 'threads', threadId, 'messages.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('ConversationService with the real store', () => {
  it('streams a reply, saves it once, and titles the thread', async () => {
    const thread = await newThread();
    engine.replies = ['Hello there, friend.'];
    const reply = await service.send(thread.id, 'Say hello to me please');
    expect(reply.status).toBe('ready');
    expect(textOf(reply)).toBe('Hello there, friend.');
    expect(reply.metadata).toMatchObject({ model: 'tiny', engine: 'scripted', completion_tokens: 3 });
    expect(typeof reply.metadata?.tokens_per_second).toBe('number');
    const pending = updates.filter((update) => update.status === 'pending');
    expect(pending.map((update) => textOf(update))).toEqual(['', 'Hello', 'Hello there,', 'Hello there, friend.']);
    expect(updates[updates.length - 1]!.status).toBe('ready');
    expect(storedLines(thread.id)).toHaveLength(2);
    expect(engine.requests[0]!.messages).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Say hello to me please' },
    ]);
    expect(engine.requests[0]!.session_key).toBe(thread.id);
    expect((await store.getThread(thread.id))!.title).toBe('Say hello to me please');
  });

  it('keeps the partial text with status stopped when stopped', async () => {
    const thread = await newThread();
    const gate = engine.hold();
    engine.replies = [Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ')];
    const threeWords = new Promise<void>((resolve) => {
      const subscription = core.events.on('OnMessageUpdate', (message) => {
        if (textOf(message).split(' ').length >= 3) {
          subscription.dispose();
          resolve();
        }
      });
    });
    const sending = service.send(thread.id, 'long story');
    gate.release(3);
    await threeWords;
    expect(service.isGenerating(thread.id)).toBe(true);
    service.stop(thread.id);
    const reply = await sending;
    expect(reply.status).toBe('stopped');
    const words = textOf(reply).split(' ');
    expect(words.length).toBeGreaterThanOrEqual(3);
    expect(words.length).toBeLessThan(50);
    expect(service.isGenerating(thread.id)).toBe(false);
    const { messages } = await store.listMessages(thread.id);
    expect(messages[1]).toMatchObject({ status: 'stopped', role: 'assistant' });
    expect(textOf(messages[1]!)).toBe(textOf(reply));
  });

  it('keeps partial text with status error when the engine fails mid-stream', async () => {
    const thread = await newThread();
    engine.replies = ['one two three'];
    engine.failWith = new EngineError('WORKER_CRASHED', 'The llama.cpp worker crashed (SIGABRT).');
    engine.failAfterTokens = 2;
    const reply = await service.send(thread.id, 'hi');
    expect(reply.status).toBe('error');
    expect(textOf(reply)).toBe('one two');
    expect(reply.metadata).toMatchObject({
      error_code: 'WORKER_CRASHED',
      error: 'The llama.cpp worker crashed (SIGABRT).',
    });
    expect(storedLines(thread.id)).toHaveLength(2);
  });

  it('reports a missing model in place without storing an empty reply', async () => {
    const thread = await newThread();
    chatModel = undefined;
    const reply = await service.send(thread.id, 'hi');
    expect(reply.status).toBe('error');
    expect(reply.metadata?.error_code).toBe('NO_MODEL');
    expect(storedLines(thread.id)).toHaveLength(1);
  });

  it('keeps a reply that failed without text out of the store, shows it, retries it by its id, or forgets it', async () => {
    const thread = await newThread();
    const generating: boolean[] = [];
    core.events.on(
      'OnGenerationChanged',
      (change) => void (change.threadId === thread.id && generating.push(change.generating)),
    );
    chatModel = undefined;
    const failed = await service.send(thread.id, 'hi');
    expect(generating).toEqual([true, false]);
    expect(service.unsavedReply(thread.id)).toMatchObject({ id: failed.id, status: 'error' });
    expect(storedLines(thread.id)).toHaveLength(1);

    chatModel = 'tiny';
    engine.replies = ['hello'];
    const retried = await service.regenerate(thread.id, failed.id);
    expect(textOf(retried)).toBe('hello');
    expect(service.unsavedReply(thread.id)).toBeUndefined();
    expect((await store.listMessages(thread.id)).messages.map((message) => textOf(message))).toEqual(['hi', 'hello']);

    chatModel = undefined;
    const again = await service.send(thread.id, 'more');
    await service.deleteMessage(thread.id, again.id);
    expect(service.unsavedReply(thread.id)).toBeUndefined();
    expect(storedLines(thread.id)).toHaveLength(3);
  });

  it('regenerates the last reply and edits-and-resends a user message', async () => {
    const thread = await newThread();
    engine.replies = ['first', 'second', 'third'];
    const question = await (async () => {
      await service.send(thread.id, 'question one');
      return (await store.listMessages(thread.id)).messages[0]!;
    })();
    const regenerated = await service.regenerate(thread.id);
    expect(textOf(regenerated)).toBe('second');
    let { messages } = await store.listMessages(thread.id);
    expect(messages.map((message) => textOf(message))).toEqual(['question one', 'second']);

    await service.editAndResend(thread.id, question.id, 'question two');
    ({ messages } = await store.listMessages(thread.id));
    expect(messages.map((message) => textOf(message))).toEqual(['question two', 'third']);
    expect(engine.requests[2]!.messages.at(-1)).toEqual({ role: 'user', content: 'question two' });
  });

  it('regenerates after a failed, unstored reply without touching earlier turns', async () => {
    const thread = await newThread();
    engine.replies = ['good', 'retried'];
    await service.send(thread.id, 'first question');
    chatModel = undefined;
    const failed = await service.send(thread.id, 'second question');
    expect(failed.metadata?.error_code).toBe('NO_MODEL');
    chatModel = 'tiny';
    const retried = await service.regenerate(thread.id);
    expect(textOf(retried)).toBe('retried');
    const { messages } = await store.listMessages(thread.id);
    expect(messages.map((message) => textOf(message))).toEqual([
      'first question',
      'good',
      'second question',
      'retried',
    ]);
  });

  it('refuses a second send while a reply is being written, and empty messages', async () => {
    const thread = await newThread();
    const gate = engine.hold();
    engine.replies = ['a b c'];
    const first = service.send(thread.id, 'one');
    await expect(service.send(thread.id, 'two')).rejects.toThrow(/already being written/);
    gate.release(Infinity);
    await first;
    await expect(service.send(thread.id, '   ')).rejects.toThrow(/empty/);
  });
});

describe('the log', () => {
  it('has a line per reply with its tokens and time, and one per cancel', async () => {
    const logger = log;
    engine.reply = 'one two three';
    const thread = await newThread();
    await service.send(thread.id, 'Count');
    expect(logger.messages('info')).toContainEqual(
      expect.stringMatching(new RegExp(`^Reply in thread ${thread.id} from tiny: 3 tokens in [\\d.]+ s`)),
    );
    updates.length = 0;
    const gate = engine.hold();
    const sending = service.send(thread.id, 'Again');
    gate.release(1);
    await expect.poll(() => updates.some((message) => textOf(message) === 'one')).toBe(true);
    service.stop(thread.id);
    gate.release(Infinity);
    await sending;
    expect(logger.messages('info')).toContainEqual(
      expect.stringMatching(new RegExp(`^Reply in thread ${thread.id}: stopped by the user after 1 tokens`)),
    );
  });
});
