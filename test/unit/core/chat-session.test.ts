import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatSession, ConversationService, InferenceService, JanCore, MemoryLogger } from '@jan/core';
import { JanAssistantsExtension } from '../../../extensions/assistants';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { ScriptedEngine } from '../../support/scripted-engine';

let root: string;
let core: JanCore;
let conversational: JanConversationalExtension;
let assistants: JanAssistantsExtension;
let chatModel: string | undefined;
let saved: Array<string | undefined>;

function session(options: { undoDeleteMs?: number; active?: string } = {}): ChatSession {
  const logger = core.context.logger;
  const inference = new InferenceService({
    engines: core.engines,
    events: core.events,
    logger,
    models: () => undefined,
    chosenModelId: () => chatModel,
  });
  const conversation = new ConversationService({ conversational, assistants, inference, events: core.events, logger });
  return new ChatSession({
    conversational,
    assistants,
    inference,
    conversation,
    logger,
    activeThread: { load: () => options.active, save: async (id) => void saved.push(id) },
    undoDeleteMs: options.undoDeleteMs ?? 60_000,
  });
}

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-session-'));
  core = new JanCore({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger: new MemoryLogger(),
  });
  conversational = new JanConversationalExtension(core.context);
  assistants = new JanAssistantsExtension(core.context);
  core.register(conversational, assistants);
  await core.start();
  core.engines.register(new ScriptedEngine({ id: 'remote', models: ['served-1', 'pinned-1'] }));
  chatModel = 'served-1';
  saved = [];
});

afterEach(async () => {
  await core.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('ChatSession: a new thread', () => {
  it("takes the user's chat model and the first assistant, opens the thread and remembers it", async () => {
    const chat = session();
    const thread = await chat.createThread();
    expect(thread.assistants[0]).toMatchObject({ assistant_id: 'jan', model: { id: 'served-1', engine: 'remote' } });
    expect(chat.activeThreadId).toBe(thread.id);
    expect(saved).toEqual([thread.id]);
  });

  it('follows the chat model (`*`) when none is chosen', async () => {
    chatModel = undefined;
    const thread = await session().createThread();
    expect(thread.assistants[0]!.model).toMatchObject({ id: '*', engine: 'llamacpp' });
  });

  it("prefers the pick made in the empty chat, then the assistant's pinned model", async () => {
    await assistants.createAssistant({ id: 'reviewer', name: 'Reviewer', instructions: 'Review.', model: 'pinned-1' });
    const chat = session();
    await chat.chooseAssistant(null, 'reviewer');
    expect(chat.pending).toEqual({ assistantId: 'reviewer' });
    const pinned = await chat.createThread();
    expect(pinned.assistants[0]).toMatchObject({
      assistant_id: 'reviewer',
      instructions: 'Review.',
      model: { id: 'pinned-1', engine: 'remote' },
    });
    expect(chat.pending).toEqual({});

    await chat.chooseAssistant(null, 'reviewer');
    await chat.chooseModel(null, 'served-1');
    expect((await chat.createThread()).assistants[0]).toMatchObject({
      assistant_id: 'reviewer',
      model: { id: 'served-1' },
    });
  });

  it('forgets the pending pick when a new chat starts, and refuses an unknown assistant', async () => {
    const chat = session();
    await chat.chooseModel(null, 'pinned-1');
    await chat.startNew();
    expect(chat.pending).toEqual({});
    await expect(chat.chooseAssistant(null, 'nobody')).rejects.toThrow('Assistant "nobody" was not found.');
  });
});

describe('ChatSession: the open thread', () => {
  it('changes the model and assistant of an existing thread on disk', async () => {
    await assistants.createAssistant({ id: 'reviewer', name: 'Reviewer', instructions: 'Review.', model: 'pinned-1' });
    const chat = session();
    const thread = await chat.createThread();
    await chat.chooseModel(thread.id, null);
    expect((await conversational.getThread(thread.id))!.assistants[0]!.model).toMatchObject({
      id: '*',
      engine: 'remote',
    });
    await chat.chooseAssistant(thread.id, 'reviewer');
    expect((await conversational.getThread(thread.id))!.assistants[0]).toMatchObject({
      assistant_name: 'Reviewer',
      model: { id: 'pinned-1', engine: 'remote' },
    });
  });

  it('closes a remembered thread that is gone, and does not open one that is gone', async () => {
    const chat = session({ active: 'jan_1700000000000_gone' });
    expect(chat.activeThreadId).toBe('jan_1700000000000_gone');
    expect(await chat.activeThread()).toBeUndefined();
    expect(chat.activeThreadId).toBeUndefined();
    expect(await chat.open('jan_1700000000000_gone')).toBe(false);
  });
});

describe('ChatSession: deleting with undo', () => {
  it('hides the thread at once, keeps its folder during the undo window, and brings it back on undo', async () => {
    const chat = session();
    const thread = await chat.createThread();
    const deleted = await chat.delete(thread.id, () => undefined);
    expect(deleted?.id).toBe(thread.id);
    expect(chat.activeThreadId).toBeUndefined();
    expect(chat.isBeingDeleted(thread.id)).toBe(true);
    expect(await chat.open(thread.id)).toBe(false);
    expect(await conversational.getThread(thread.id)).toBeDefined();
    expect(chat.undoDelete(thread.id)?.id).toBe(thread.id);
    expect(chat.undoDelete(thread.id)).toBeUndefined();
    expect(await chat.open(thread.id)).toBe(true);
  });

  it('deletes the folder when the window closes, and what is still waiting on dispose', async () => {
    const chat = session({ undoDeleteMs: 0 });
    const first = await chat.createThread();
    const deletedFolder = new Promise<void>((resolve) =>
      core.events.on('OnThreadDeleted', ({ id }) => void (id === first.id && resolve())),
    );
    await chat.delete(first.id, () => undefined);
    await deletedFolder;
    expect(await conversational.getThread(first.id)).toBeUndefined();

    const later = session();
    const second = await later.createThread();
    await later.delete(second.id, () => undefined);
    await later.dispose();
    expect(await conversational.getThread(second.id)).toBeUndefined();
  });

  it('returns nothing for a thread that is already gone', async () => {
    expect(await session().delete('jan_1700000000000_gone', () => undefined)).toBeUndefined();
  });
});
