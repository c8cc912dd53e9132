/**
 * The chat view's host side without a browser: the real controller over the real store and
 * conversation service, with a recording webview. Covers what the page cannot show directly:
 * the handshake, startup failure, deletions and their undo window, events from elsewhere.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ContextSourceRegistry, DataFolder, EventBus, textOf, type Logger } from '@jan/core';
import type { ChatState, HostMessage, ThreadView } from '@jan/protocol';
import { ChatController } from '../../src/vscode/chat/controller';
import { parseDefinition, type RemoteEngineSource } from '../../extensions/remote';
import { OpenAITestServer } from '../support/openai-test-server';
import { ScriptedEngine } from '../support/scripted-engine';
import { createChatHost, RecordingPort, type ChatHost } from './support/chat-host';

let host: ChatHost | undefined;

afterEach(async () => {
  await host?.dispose();
  host = undefined;
});

function recorder(controller: ChatController): {
  sent: HostMessage[];
  of<T extends HostMessage['type']>(type: T): Array<Extract<HostMessage, { type: T }>>;
} {
  const sent: HostMessage[] = [];
  controller.attach((message) => sent.push(message));
  return { sent, of: (type) => sent.filter((message) => message.type === type) as never };
}

async function lastState(view: ReturnType<typeof recorder>): Promise<ChatState> {
  await expect.poll(() => view.of('state').length).toBeGreaterThan(0);
  return view.of('state').at(-1)!.state;
}

/** The thread header the view shows now: from the last state, or a later thread update. */
function shownThread(view: ReturnType<typeof recorder>): ThreadView | null | undefined {
  const last = view.sent.filter((message) => message.type === 'state' || message.type === 'thread').at(-1);
  return last?.type === 'state' ? last.state.thread : last?.type === 'thread' ? last.thread : undefined;
}

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('handshake', () => {
  test('nothing is sent before ready; text added meanwhile arrives after the state', async () => {
    host = await createChatHost();
    const view = recorder(host.controller);
    host.controller.addToInput('```ts a.ts:1\nx\n```\n');
    host.controller.focusInput();
    expect(view.sent).toEqual([]);
    await host.controller.handle({ type: 'ready' });
    expect(view.sent.map((message) => message.type).filter((type) => type !== 'assistants')).toEqual([
      'state',
      'contextUsage',
      'insertText',
      'focusInput',
    ]);
    const state = view.of('state')[0]!.state;
    expect(state).toMatchObject({ thread: null, messages: [], generating: false, defaultModelId: 'stories-260k' });
    expect(state.models.map((model) => model.id).sort()).toEqual(['stories-260k', 'tinystories-656k']);
    expect(state.assistants.map((assistant) => assistant.name)).toEqual(['Jan']);
  });

  test('a core that failed to start is reported in the view instead of a chat', async () => {
    const controller = new ChatController(
      Promise.reject(new Error('The .jan folder is not writable.')),
      { events: new EventBus(silent), logger: silent, contextSources: new ContextSourceRegistry() },
      new RecordingPort(),
    );
    const view = recorder(controller);
    await controller.handle({ type: 'ready' });
    expect((await lastState(view)).startupError).toBe('The .jan folder is not writable.');
    await controller.dispose();
  });
});

describe('streaming', () => {
  test('updates are coalesced on the way to the view, and the final one is never lost', async () => {
    // Flushes happen when the test says so: what reaches the view depends on no clock.
    const flushes: Array<() => void> = [];
    host = await createChatHost({ flushScheduler: (flush) => (flushes.push(flush), { cancel: () => undefined }) });
    host.engine.reply = Array.from({ length: 300 }, (_, index) => `t${index}`).join(' ');
    const gate = host.engine.hold();
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    const sending = host.controller.handle({ type: 'send', threadId: null, text: 'Go' });
    const replies = () => view.of('message').filter((message) => message.message.role === 'assistant');

    const hundred = new Promise<void>((resolve) => {
      const subscription = host!.core.events.on('OnMessageUpdate', (message) => {
        if (textOf(message).split(' ').length < 100) return;
        subscription.dispose();
        resolve();
      });
    });
    gate.release(100);
    await hundred;
    expect(replies()).toEqual([]);
    flushes.shift()!();
    expect(replies().map((message) => message.message.text.split(' ').length)).toEqual([100]);

    gate.release(Infinity);
    await sending;
    expect(replies().length).toBeLessThanOrEqual(3);
    expect(replies().at(-1)!.message).toMatchObject({ status: 'ready', text: host.engine.reply });
    expect(view.of('generating').map((message) => message.generating)).toEqual([true, false]);
  });

  test('an action right as a reply completes waits for the conversation instead of failing', async () => {
    host = await createChatHost();
    host.engine.reply = 'First.';
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    let regenerated: Promise<void> | undefined;
    const subscription = host.core.events.on('OnMessageUpdate', (message) => {
      if (message.status !== 'ready' || regenerated) return;
      // The view shows the reply done (and its Regenerate button) at this very moment.
      host!.engine.reply = 'Second.';
      regenerated = host!.controller.handle({ type: 'regenerate', threadId: message.thread_id, messageId: message.id });
    });
    await host.controller.handle({ type: 'send', threadId: null, text: 'Hi' });
    await regenerated;
    subscription.dispose();
    expect(view.of('notice').filter((notice) => notice.error !== null)).toEqual([]);
    expect(
      view
        .of('messages')
        .at(-1)!
        .messages.map((message) => message.text),
    ).toEqual(['Hi', 'Second.']);
  });
});

describe('reads per turn', () => {
  /** Counts the reads of a thread's messages.jsonl while `work` runs (every read goes through DataFolder). */
  async function messageReads(work: () => Promise<unknown>): Promise<number> {
    const spy = vi.spyOn(DataFolder.prototype, 'readJsonLines');
    try {
      await work();
      return spy.mock.calls.filter(([file]) => file.endsWith('messages.jsonl')).length;
    } finally {
      spy.mockRestore();
    }
  }

  test('a chat turn reads messages.jsonl once, and the view gets the messages and the meter from it', async () => {
    host = await createChatHost();
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    // The first message makes the thread: nothing to read before the turn's one read.
    expect(await messageReads(() => host!.controller.handle({ type: 'send', threadId: null, text: 'Hi' }))).toBe(1);
    const threadId = (await lastState(view)).thread!.id;
    const sent = view.sent.length;
    expect(await messageReads(() => host!.controller.handle({ type: 'send', threadId, text: 'Again' }))).toBe(1);
    const after = view.sent.slice(sent);
    const messages = after.filter((message) => message.type === 'messages').at(-1);
    expect(messages?.type === 'messages' && messages.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    const usage = after.filter((message) => message.type === 'contextUsage').at(-1);
    expect(usage).toMatchObject({ type: 'contextUsage', threadId });
    // The meter from the turn is the one a fresh measure gives.
    const measured = await host.runtime.conversation.contextUsage(threadId);
    expect(usage).toMatchObject({ used: Math.round(measured.used), limit: Math.round(measured.limit) });
  });
});

describe('where the model runs', () => {
  test('after a remote engine moves to another host, the header says so at once, listed or not', async () => {
    host = await createChatHost();
    const server = await OpenAITestServer.start({ backend: host.engine, modelId: 'stories-260k' });
    try {
      const engine = (baseUrl: string): RemoteEngineSource => {
        const parsed = parseDefinition({ id: 'gpu-box', name: 'GPU box', preset: 'llamacpp-server', baseUrl });
        if (!parsed.ok) throw new Error(parsed.error);
        return { definition: parsed.value, fromWorkspace: false };
      };
      host.runtime.updateRemoteEngines([engine(server.baseUrl)]);
      const view = recorder(host.controller);
      await host.controller.handle({ type: 'ready' });
      await host.controller.handle({ type: 'send', threadId: null, text: 'Hi' });
      const threadId = (await lastState(view)).thread!.id;
      await host.controller.handle({ type: 'selectModel', threadId, modelId: 'gpu-box/stories-260k' });
      const remoteOption = (state: ChatState) => state.models.find((model) => model.id === 'gpu-box/stories-260k');
      await expect.poll(async () => remoteOption(await lastState(view))?.runsOn).toEqual({ kind: 'local' });
      await expect.poll(() => shownThread(view)?.runsOn).toEqual({ kind: 'local' });

      // Edit Remote Engine: the same engine id, a server on another host (not reachable from here).
      const states = view.of('state').length;
      host.runtime.updateRemoteEngines([engine('http://gpu-box.invalid:8000/v1')]);
      await expect.poll(() => view.of('state').length, { timeout: 60_000 }).toBeGreaterThan(states);
      expect(shownThread(view)).toMatchObject({
        modelId: 'gpu-box/stories-260k',
        runsOn: { kind: 'remote', host: 'gpu-box.invalid:8000' },
      });
      expect(remoteOption(await lastState(view))).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  test('a model listed again after its engine moved carries the new place', async () => {
    host = await createChatHost();
    host.core.engines.register(new ScriptedEngine({ id: 'gpu-box', models: ['gpu-box/coder'] }));
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    const option = (state: ChatState) => state.models.find((model) => model.id === 'gpu-box/coder');
    expect(option(await lastState(view))?.runsOn).toEqual({ kind: 'local' });
    const states = view.of('state').length;
    const runsOn = { kind: 'remote', host: 'gpu-box:8000' } as const;
    host.core.engines.register(new ScriptedEngine({ id: 'gpu-box', models: ['gpu-box/coder'], runsOn }));
    await expect.poll(() => view.of('state').length).toBe(states + 1);
    expect(option(await lastState(view))?.runsOn).toEqual(runsOn);
  });
});

describe('threads', () => {
  test('deleting the open thread shows a new chat; the folder goes when the undo window closes; a late undo says so', async () => {
    host = await createChatHost({ undoDeleteMs: 150 });
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    await host.controller.handle({ type: 'send', threadId: null, text: 'To be deleted' });
    const threadId = (await lastState(view)).thread!.id;
    const folder = path.join(host.core.context.janFolder, 'threads', threadId);
    expect(existsSync(folder)).toBe(true);

    await host.controller.handle({ type: 'deleteThread', threadId });
    expect(view.of('threadRemoved').at(-1)).toEqual({
      type: 'threadRemoved',
      id: threadId,
      title: 'To be deleted',
      undoable: true,
    });
    expect((await lastState(view)).thread).toBeNull();
    await host.controller.handle({ type: 'listThreads', query: '', offset: 0, limit: 10 });
    expect(view.of('threads').at(-1)!.total).toBe(0);
    expect(existsSync(folder)).toBe(true);

    await expect.poll(() => existsSync(folder)).toBe(false);
    await host.controller.handle({ type: 'undoDeleteThread', threadId });
    expect(view.of('error').at(-1)!.message).toContain('Too late to undo');
  });

  test('a thread deleted elsewhere leaves the view, and selecting it again says it is gone', async () => {
    host = await createChatHost();
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    await host.controller.handle({ type: 'send', threadId: null, text: 'Elsewhere' });
    const threadId = (await lastState(view)).thread!.id;
    await host.conversational.deleteThread(threadId);
    await expect.poll(() => view.of('threadRemoved').some((message) => message.id === threadId)).toBe(true);
    await expect.poll(async () => (await lastState(view)).thread).toBeNull();
    await host.controller.handle({ type: 'selectThread', threadId });
    expect(view.of('error').at(-1)!.message).toBe('That thread no longer exists.');
  });

  test('pending deletions are carried out when the controller is disposed', async () => {
    host = await createChatHost({ undoDeleteMs: 60_000 });
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    await host.controller.handle({ type: 'send', threadId: null, text: 'Delete on exit' });
    const threadId = (await lastState(view)).thread!.id;
    await host.controller.handle({ type: 'deleteThread', threadId });
    await host.controller.dispose();
    expect(existsSync(path.join(host.core.context.janFolder, 'threads', threadId))).toBe(false);
  });
});

describe('bad input', () => {
  test('a send to a missing thread gives the text back with the error', async () => {
    host = await createChatHost();
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    await host.controller.handle({ type: 'send', threadId: 'jan_0_missing', text: 'Keep me' });
    expect(view.of('notice').at(-1)).toMatchObject({
      threadId: 'jan_0_missing',
      draft: 'Keep me',
      error: { code: 'UNKNOWN' },
    });
    expect(view.of('notice').at(-1)!.error!.message).toContain('was not found');
  });

  test('a store error reaches the view as itself, with the text given back', async () => {
    host = await createChatHost();
    const janFolder = host.core.context.janFolder;
    rmSync(janFolder, { recursive: true, force: true });
    writeFileSync(janFolder, 'not a folder');
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    await host.controller.handle({ type: 'send', threadId: null, text: 'Keep me too' });
    expect(view.of('notice').at(-1)).toMatchObject({
      threadId: null,
      draft: 'Keep me too',
      error: { code: 'NOT_A_FOLDER' },
    });
  });

  test('an invalid message is answered with an error and does nothing', async () => {
    host = await createChatHost();
    const view = recorder(host.controller);
    await host.controller.handle({ type: 'ready' });
    await host.controller.handle({ type: 'deleteThread', threadId: '../../.ssh' });
    await host.controller.handle({
      type: 'updateSettings',
      threadId: 'jan_1',
      settings: { instructions: '', contextLength: 12 },
    });
    expect(view.of('error').map((message) => message.message)).toEqual([
      expect.stringContaining('threadId'),
      expect.stringContaining('Context length is at least 256.'),
    ]);
    expect(host.port.calls).toEqual([]);
  });
});
