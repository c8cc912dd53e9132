/**
 * The rules of ConversationService one by one, with the real store and a scripted engine: what a
 * message carries, what each request refuses and why, where replies go when something fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConversationService,
  EngineError,
  InferenceService,
  JanCore,
  MemoryLogger,
  StoreError,
  textOf,
} from '@jan/core';
import type { ChatCompletionChunk, ChatCompletionRequest, Thread, ThreadMessage } from '@jan/core';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { ScriptedEngine } from '../../support/scripted-engine';

/** A store whose writes of replies fail (a full disk, a folder gone read-only). */
class FailingReplies extends JanConversationalExtension {
  failReplies = false;
  override async appendMessage(message: ThreadMessage): Promise<ThreadMessage> {
    if (this.failReplies && message.role === 'assistant') throw new StoreError('NO_SPACE', 'the disk is full');
    return super.appendMessage(message);
  }
}

let root: string;
let core: JanCore;
let store: FailingReplies;
let engine: ScriptedEngine;
let other: ScriptedEngine;
let logger: MemoryLogger;
let service: ConversationService;
let clock: number;

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-conversation-rules-'));
  logger = new MemoryLogger();
  core = new JanCore({ janFolder: path.join(root, '.jan'), modelsFolder: path.join(root, 'models'), logger });
  store = new FailingReplies(core.context);
  core.register(store);
  await core.start();
  engine = new ScriptedEngine({ models: ['tiny'] });
  other = new ScriptedEngine({ id: 'remote', models: ['big'] });
  core.engines.register(engine);
  core.engines.register(other);
  const inference = new InferenceService({
    engines: core.engines,
    events: core.events,
    logger,
    models: () => undefined,
    chosenModelId: () => 'tiny',
  });
  clock = 1_750_000_000_500;
  // Every read of the clock moves it 250 ms on: durations are known exactly.
  service = new ConversationService({
    conversational: store,
    inference,
    events: core.events,
    logger,
    now: () => (clock += 250),
  });
});

afterEach(async () => {
  await core.stop();
  rmSync(root, { recursive: true, force: true });
});

async function newThread(model = { id: '*', engine: 'llamacpp' }, title = 'New Thread'): Promise<Thread> {
  return store.createThread({
    title,
    assistants: [
      {
        assistant_id: 'jan',
        assistant_name: 'Jan',
        instructions: '',
        model: { ...model, settings: {}, parameters: {} },
      },
    ],
  });
}

/** A streamed chunk as an engine sends it. */
function chunk(
  model: string,
  delta: { content?: string },
  finish: ChatCompletionChunk['choices'][0]['finish_reason'] = null,
): ChatCompletionChunk {
  return {
    id: 'x',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

const texts = async (threadId: string) =>
  (await store.listMessages(threadId)).messages.map((message) => `${message.role}:${textOf(message)}`);

describe('what the messages carry', () => {
  it('the user message: Jan fields in ms and seconds, announced once saved', async () => {
    const thread = await newThread();
    const sent: ThreadMessage[] = [];
    core.events.on('OnMessageSent', (message) => void sent.push(message));
    await service.send(thread.id, 'hello');
    const [user] = (await store.listMessages(thread.id)).messages;
    expect(user).toMatchObject({ object: 'thread.message', thread_id: thread.id, role: 'user', status: 'ready' });
    expect(user!.created_at).toBe(Math.floor(user!.created / 1000));
    expect(user!.completed_at).toBe(user!.created_at);
    expect(sent.map((message) => message.id)).toEqual([user!.id]);
  });

  it('the reply: model, engine, assistant, usage from the engine and timings from the clock', async () => {
    const thread = await newThread();
    engine.chat = async function* (request: ChatCompletionRequest) {
      for (const word of ['one', ' two', ' three', ' four']) yield chunk(request.model, { content: word });
      yield {
        ...chunk(request.model, {}, 'stop'),
        usage: {
          prompt_tokens: 40,
          completion_tokens: 4,
          total_tokens: 44,
          prompt_tokens_details: { cached_tokens: 30 },
        },
      };
    };
    const { reply } = await service.send(thread.id, 'count');
    expect(reply).toMatchObject({ role: 'assistant', assistant_id: 'jan', object: 'thread.message', status: 'ready' });
    expect(reply.created_at).toBe(Math.floor(reply.created / 1000));
    expect(reply.completed_at).toBe(Math.floor(reply.updated / 1000));
    expect(reply.metadata).toMatchObject({
      model: 'tiny',
      engine: 'scripted',
      completion_tokens: 4,
      prompt_tokens: 40,
      cached_prompt_tokens: 30,
    });
    // Clock reads: the start, the first token, its update, three more updates, the end (250 ms apart):
    // the first token 250 ms after the start, 4 tokens over the 1,250 ms from it to the end.
    expect(reply.metadata!.time_to_first_token_ms).toBe(250);
    expect(reply.metadata!.tokens_per_second).toBe(3.2);
  });

  it('no usage from the engine: counts the chunks, and says nothing of prompt tokens', async () => {
    const thread = await newThread();
    engine.chat = async function* (request: ChatCompletionRequest) {
      for (const word of ['a', ' b']) yield chunk(request.model, { content: word });
    };
    const { reply } = await service.send(thread.id, 'hi');
    expect(reply.metadata).toMatchObject({ completion_tokens: 2 });
    expect(reply.metadata).not.toHaveProperty('prompt_tokens');
    expect(reply.metadata).not.toHaveProperty('cached_prompt_tokens');
  });

  it("runs the thread's own model on its engine, and the chat model for `*`", async () => {
    const pinned = await newThread({ id: 'big', engine: 'remote' });
    expect((await service.send(pinned.id, 'hi')).reply.metadata).toMatchObject({ model: 'big', engine: 'remote' });
    expect(other.requests).toHaveLength(1);
    const following = await newThread();
    expect((await service.send(following.id, 'hi')).reply.metadata).toMatchObject({
      model: 'tiny',
      engine: 'scripted',
    });
    const noEngine = await newThread({ id: 'tiny', engine: '' });
    expect((await service.send(noEngine.id, 'hi')).reply.metadata).toMatchObject({ engine: 'llamacpp' });
  });

  it('says how many old messages were left out to fit the context, and logs it', async () => {
    const small = new ScriptedEngine({ id: 'small', models: ['small-1'], contextSize: 64 });
    core.engines.register(small);
    const thread = await newThread({ id: 'small-1', engine: 'small' });
    small.reply = 'ok';
    for (let turn = 0; turn < 6; turn++) await service.send(thread.id, `question ${turn} ${'w '.repeat(8)}`);
    const { reply } = await service.send(thread.id, 'last');
    expect(reply.metadata?.context_trimmed).toMatchObject({ dropped_messages: expect.any(Number) });
    expect((reply.metadata!.context_trimmed as { dropped_messages: number }).dropped_messages).toBeGreaterThan(0);
    expect(logger.messages('info')).toContainEqual(expect.stringMatching(/^Left out \d+ old message\(s\) of thread /));
  });

  it('titles a new thread from its first message, and leaves a named one alone', async () => {
    const fresh = await newThread();
    await service.send(fresh.id, 'How do I sort a list in Python?');
    expect((await store.getThread(fresh.id))!.title).toBe('How do I sort a list in Python?');
    const named = await newThread(undefined, 'My thread');
    await service.send(named.id, 'Something else');
    expect((await store.getThread(named.id))!.title).toBe('My thread');
  });
});

describe('what each request refuses', () => {
  it('empty text, for send and for edit-and-resend', async () => {
    const thread = await newThread();
    await expect(service.send(thread.id, '  \n ')).rejects.toThrow('The message is empty.');
    const [user] = (await store.listMessages((await service.send(thread.id, 'hi')).reply.thread_id)).messages;
    await expect(service.editAndResend(thread.id, user!.id, ' ')).rejects.toThrow('The message is empty.');
  });

  it('a thread that does not exist', async () => {
    await expect(service.send('jan_1700000000000_none', 'hi')).rejects.toThrow(
      'Thread jan_1700000000000_none was not found.',
    );
  });

  it('a reply or message that is gone, or of the wrong role', async () => {
    const thread = await newThread();
    const { reply } = await service.send(thread.id, 'hi');
    const [user] = (await store.listMessages(thread.id)).messages;
    await expect(service.regenerate(thread.id, 'msg_gone')).rejects.toThrow('That reply is no longer in the thread.');
    await expect(service.regenerate(thread.id, user!.id)).rejects.toThrow('That reply is no longer in the thread.');
    await expect(service.editAndResend(thread.id, 'msg_gone', 'x')).rejects.toThrow(
      'That message is no longer in the thread.',
    );
    await expect(service.editAndResend(thread.id, reply.id, 'x')).rejects.toThrow(
      'That message is no longer in the thread.',
    );
    expect(await texts(thread.id)).toEqual(['user:hi', 'assistant:ok']);
  });

  it('regenerating with nothing to answer', async () => {
    const thread = await newThread();
    await expect(service.regenerate(thread.id)).rejects.toThrow('There is nothing to answer yet.');
  });

  it('deleting a message while a reply is written; otherwise the message goes', async () => {
    const thread = await newThread();
    await service.send(thread.id, 'first');
    const [first] = (await store.listMessages(thread.id)).messages;
    const gate = engine.hold();
    const writing = service.send(thread.id, 'second');
    await expect.poll(() => service.isGenerating(thread.id)).toBe(true);
    await expect(service.deleteMessage(thread.id, first!.id)).rejects.toThrow(
      'Stop the reply being written before deleting messages.',
    );
    gate.release(Infinity);
    await writing;
    await service.deleteMessage(thread.id, first!.id);
    expect(await texts(thread.id)).toEqual(['assistant:ok', 'user:second', 'assistant:ok']);
  });
});

describe('regenerate and edit', () => {
  it('regenerating a reply by id drops it and everything after it', async () => {
    const thread = await newThread();
    engine.replies = ['first answer', 'second answer', 'again'];
    const { reply: firstReply } = await service.send(thread.id, 'one');
    await service.send(thread.id, 'two');
    await service.regenerate(thread.id, firstReply.id);
    expect(await texts(thread.id)).toEqual(['user:one', 'assistant:again']);
  });

  it('editing a message drops what came after it and answers the new text', async () => {
    const thread = await newThread();
    engine.replies = ['a1', 'a2', 'edited answer'];
    await service.send(thread.id, 'q1');
    await service.send(thread.id, 'q2');
    const [first] = (await store.listMessages(thread.id)).messages;
    await service.editAndResend(thread.id, first!.id, 'q1, better');
    expect(await texts(thread.id)).toEqual(['user:q1, better', 'assistant:edited answer']);
  });
});

describe('while and after a reply is written', () => {
  it('shows the reply in flight as far as it got, and nothing once it is done', async () => {
    const thread = await newThread();
    engine.reply = 'one two three';
    const gate = engine.hold();
    const writing = service.send(thread.id, 'count');
    gate.release(2);
    await expect
      .poll(() => service.replyInFlight(thread.id) && textOf(service.replyInFlight(thread.id)!))
      .toBe('one two');
    expect(service.replyInFlight(thread.id)).toMatchObject({ status: 'pending', role: 'assistant' });
    gate.release(Infinity);
    await writing;
    expect(service.replyInFlight(thread.id)).toBeUndefined();
    expect(service.isGenerating(thread.id)).toBe(false);
  });

  it('a stop that arrives as an ABORTED error keeps the text as stopped', async () => {
    const thread = await newThread();
    engine.failWith = new EngineError('ABORTED', 'cancelled');
    engine.failAfterTokens = 1;
    engine.reply = 'partial words here';
    const { reply } = await service.send(thread.id, 'go');
    expect(reply.status).toBe('stopped');
    expect(reply.metadata).not.toHaveProperty('error');
  });

  it('any other failure is an error with its code, logged; a plain Error is UNKNOWN', async () => {
    const thread = await newThread();
    engine.failWith = new Error('socket hang up') as EngineError;
    const { reply } = await service.send(thread.id, 'go');
    expect(reply.metadata).toMatchObject({ error: 'socket hang up', error_code: 'UNKNOWN' });
    expect(logger.messages('warn')).toContainEqual(`Reply in thread ${thread.id} failed: socket hang up`);
  });

  it('a reply that cannot be saved is shown with why, kept out of the store and retried by its id', async () => {
    const thread = await newThread();
    const updates: ThreadMessage[] = [];
    core.events.on('OnMessageUpdate', (message) => void updates.push(message));
    store.failReplies = true;
    const { reply: failed } = await service.send(thread.id, 'hi');
    expect(failed).toMatchObject({
      status: 'error',
      metadata: { error: 'The reply could not be saved: the disk is full' },
    });
    expect(textOf(failed)).toBe('ok');
    expect(updates.at(-1)).toMatchObject({ id: failed.id, status: 'error' });
    expect(service.unsavedReply(thread.id)?.id).toBe(failed.id);
    expect(logger.messages('error')).toContainEqual(
      `Could not save the reply in thread ${thread.id}: the disk is full`,
    );
    expect(await texts(thread.id)).toEqual(['user:hi']);
    store.failReplies = false;
    await service.regenerate(thread.id, failed.id);
    expect(await texts(thread.id)).toEqual(['user:hi', 'assistant:ok']);
  });

  it('a thread deleted while its reply is written: the reply fails to save and nothing else breaks', async () => {
    const thread = await newThread();
    const gate = engine.hold();
    const writing = service.send(thread.id, 'hi');
    await expect.poll(() => service.replyInFlight(thread.id)).toBeDefined();
    await store.deleteThread(thread.id);
    gate.release(Infinity);
    expect((await writing).reply.status).toBe('error');
    expect(logger.messages('warn').some((line) => line.startsWith(`Could not update thread ${thread.id}`))).toBe(true);
  });
});
