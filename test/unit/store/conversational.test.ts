import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { textContent, textOf } from '@jan/core';
import type { Thread } from '@jan/core';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { expectJanMessage, expectJanThread, janReadsMessages, janReadsThreads } from './support/jan-reader';
import {
  message,
  storeError,
  removeTempWorkspaces,
  snapshot,
  tempWorkspace,
  testCore,
  threadAssistant,
} from './support/store-setup';

afterEach(removeTempWorkspaces);

function setup() {
  const { root, jan } = tempWorkspace();
  const test = testCore(jan);
  return { root, jan, ...test, store: new JanConversationalExtension(test.core) };
}

describe('JanConversationalExtension: threads', () => {
  it('writes nothing until the first thread, then thread.json in Jan format (0.5 and 0.6 names)', async () => {
    const { jan, store } = setup();
    await store.onLoad();
    expect(await store.listThreads()).toEqual({ threads: [], warnings: [] });
    expect(existsSync(jan)).toBe(false);

    const assistant = threadAssistant();
    const { engine: _engine, ...modelWithoutEngine } = assistant.model;
    const thread = await store.createThread({
      title: 'First',
      assistants: [{ ...assistant, model: modelWithoutEngine as Thread['assistants'][0]['model'] }],
    });
    expect(thread.id).toMatch(/^jan_\d+_/);
    const [onDisk] = janReadsThreads(jan);
    expectJanThread(onDisk!);
    expect(onDisk).toMatchObject({
      id: thread.id,
      title: 'First',
      assistants: [{ assistant_id: 'jan', id: 'jan', name: 'Jan', model: { engine: 'llamacpp' } }],
    });
    expect(readFileSync(path.join(jan, '.gitignore'), 'utf8')).toContain('threads/');
  });

  it('lists newest updated first, gets, renames (bumping updated) and deletes, with events', async () => {
    const { store, events } = setup();
    const a = await store.createThread({
      title: 'A',
      assistants: [threadAssistant()],
      created: 1_000_000_000_000,
      updated: 1_000_000_000_000,
    });
    const b = await store.createThread({
      title: 'B',
      assistants: [threadAssistant()],
      created: 1_100_000_000_000,
      updated: 1_100_000_000_000,
    });
    expect((await store.listThreads()).threads.map((t) => t.title)).toEqual(['B', 'A']);

    const renamed = await store.updateThread(a.id, { title: 'A renamed' });
    expect(renamed.updated).toBeGreaterThan(b.updated);
    expect((await store.listThreads()).threads.map((t) => t.title)).toEqual(['A renamed', 'B']);
    expect(await store.getThread(a.id)).toEqual(renamed);
    expect(await store.getThread('jan_missing')).toBeUndefined();

    await store.deleteThread(b.id);
    await store.deleteThread(b.id);
    expect((await store.listThreads()).threads.map((t) => t.id)).toEqual([a.id]);
    expect(events.map((e) => e.name)).toEqual([
      'OnThreadUpdated',
      'OnThreadUpdated',
      'OnThreadUpdated',
      'OnThreadDeleted',
    ]);
    expect(events[3]!.payload).toEqual({ id: b.id });
  });

  it('applies a functional update to the thread as it is on disk', async () => {
    const { store } = setup();
    const thread = await store.createThread({ assistants: [threadAssistant()], metadata: { count: 0 } });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.updateThread(thread.id, (current) => ({ metadata: { count: (current.metadata?.count as number) + 1 } })),
      ),
    );
    expect((await store.getThread(thread.id))?.metadata).toEqual({ count: 20 });
  });

  it('keeps fields it does not know, at every level, when it rewrites thread.json', async () => {
    const { jan, store } = setup();
    const id = 'jan_1700000000000_unknown';
    const folder = path.join(jan, 'threads', id);
    mkdirSync(folder, { recursive: true });
    const written = {
      id,
      object: 'thread',
      title: 'Hand written',
      created: 1_700_000_000,
      updated: 1_700_000_000,
      x_future_field: { nested: [1, 'two', null] },
      assistants: [
        {
          assistant_id: 'jan',
          assistant_name: 'Jan',
          tools: [{ type: 'retrieval', enabled: true, settings: { top_k: 2 } }],
          avatar: 'jan.png',
          model: {
            id: 'm',
            settings: { ctx_len: 2048, x_setting: 'kept' },
            parameters: { temperature: 0.2 },
            engine: 'llamacpp',
            x_model_field: 7,
          },
        },
      ],
      metadata: { lastMessage: 'hi', x_meta: true },
    };
    writeFileSync(path.join(folder, 'thread.json'), JSON.stringify(written));
    await store.updateThread(id, { title: 'Renamed' });
    const onDisk = JSON.parse(readFileSync(path.join(folder, 'thread.json'), 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({
      title: 'Renamed',
      x_future_field: written.x_future_field,
      metadata: written.metadata,
    });
    expect(onDisk.assistants).toMatchObject([
      {
        tools: written.assistants[0]!.tools,
        avatar: 'jan.png',
        model: { settings: { x_setting: 'kept' }, x_model_field: 7 },
      },
    ]);
  });

  it('refuses a duplicate id, an unsafe id, and updates of a missing thread', async () => {
    const { store } = setup();
    await store.createThread({ id: 'jan_1', assistants: [] });
    expect((await storeError(store.createThread({ id: 'jan_1', assistants: [] }))).message).toMatch(
      /Thread jan_1 already exists/,
    );
    expect((await storeError(store.createThread({ id: '../escape', assistants: [] }))).code).toBe('INVALID_ID');
    expect((await storeError(store.updateThread('jan_2', { title: 'x' }))).code).toBe('NOT_FOUND');
  });
});

describe('JanConversationalExtension: messages', () => {
  it('appends lines Jan can read, edits and deletes by atomic rewrite', async () => {
    const { jan, store } = setup();
    const thread = await store.createThread({ assistants: [threadAssistant()] });
    const first = await store.appendMessage(message(thread.id, 'one', 'user', 'm1'));
    await store.appendMessage(message(thread.id, 'two', 'assistant', 'm2'));
    await store.appendMessage(message(thread.id, 'three', 'user', 'm3'));
    expect(first.created_at).toBe(Math.floor(first.created / 1000));

    const lines = janReadsMessages(jan, thread.id);
    expect(lines).toHaveLength(3);
    for (const line of lines) expectJanMessage(line, thread.id);

    const before = readFileSync(path.join(jan, 'threads', thread.id, 'messages.jsonl'), 'utf8').split('\n');
    const page = await store.listMessages(thread.id);
    await store.updateMessage({ ...page.messages[1]!, content: textContent('two, edited'), status: 'stopped' });
    const after = readFileSync(path.join(jan, 'threads', thread.id, 'messages.jsonl'), 'utf8').split('\n');
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
    expect((await store.listMessages(thread.id)).messages.map((m) => [m.id, textOf(m), m.status])).toEqual([
      ['m1', 'one', 'ready'],
      ['m2', 'two, edited', 'stopped'],
      ['m3', 'three', 'ready'],
    ]);

    await store.deleteMessage(thread.id, 'm1');
    expect((await store.listMessages(thread.id)).messages.map((m) => m.id)).toEqual(['m2', 'm3']);
    await store.truncateFrom(thread.id, 'm2');
    expect((await store.listMessages(thread.id)).messages).toEqual([]);
    expect(readdirSync(path.join(jan, 'threads', thread.id))).toEqual(['messages.jsonl', 'thread.json']);
  });

  it('says which thread or message is missing and creates no orphan folder', async () => {
    const { jan, store } = setup();
    const thread = await store.createThread({ assistants: [] });
    expect(await store.listMessages(thread.id)).toEqual({ messages: [], warnings: [] });
    expect((await storeError(store.appendMessage(message('jan_gone', 'x')))).message).toMatch(
      /Thread jan_gone does not exist/,
    );
    expect(existsSync(path.join(jan, 'threads', 'jan_gone'))).toBe(false);
    expect((await storeError(store.listMessages('jan_gone'))).code).toBe('NOT_FOUND');
    expect((await storeError(store.updateMessage(message(thread.id, 'x', 'user', 'nope')))).message).toMatch(
      /Message nope is not in thread/,
    );
    expect((await storeError(store.deleteMessage(thread.id, 'nope'))).code).toBe('NOT_FOUND');
    expect((await storeError(store.truncateFrom(thread.id, 'nope'))).code).toBe('NOT_FOUND');
  });
});

describe('JanConversationalExtension: bad input', () => {
  it('skips a corrupt or mis-shaped thread.json with a warning, loads the rest, never rewrites it', async () => {
    const { jan, store, logger } = setup();
    const good = await store.createThread({ title: 'good', assistants: [threadAssistant()] });
    mkdirSync(path.join(jan, 'threads', 'jan_corrupt'));
    writeFileSync(path.join(jan, 'threads', 'jan_corrupt', 'thread.json'), '{"id":"jan_corrupt","title":"tru');
    writeFileSync(
      path.join(jan, 'threads', 'jan_corrupt', 'messages.jsonl'),
      '{"id":"u1","role":"user","content":"kept"}\n',
    );
    mkdirSync(path.join(jan, 'threads', 'jan_shape'));
    writeFileSync(path.join(jan, 'threads', 'jan_shape', 'thread.json'), '{"assistants":"jan"}');
    mkdirSync(path.join(jan, 'threads', 'jan_orphan'));
    writeFileSync(path.join(jan, 'threads', 'jan_orphan', 'messages.jsonl'), '');
    mkdirSync(path.join(jan, 'threads', 'jan_empty_being_created'));
    const before = snapshot(jan);

    const page = await store.listThreads();
    expect(page.threads.map((t) => t.id)).toEqual([good.id]);
    expect(page.warnings.map((w) => path.basename(path.dirname(w.path))).sort()).toEqual([
      'jan_corrupt',
      'jan_orphan',
      'jan_shape',
    ]);
    expect(page.warnings.find((w) => w.path.includes('jan_corrupt'))?.message).toMatch(/not valid JSON.*left as it is/);
    expect(page.warnings.find((w) => w.path.includes('jan_shape'))?.message).toMatch(/"assistants" should be an array/);
    expect(logger.messages('warn')).toHaveLength(3);

    expect((await storeError(store.getThread('jan_corrupt'))).code).toBe('INVALID_FILE');
    expect((await storeError(store.updateThread('jan_corrupt', { title: 'overwrite?' }))).code).toBe('INVALID_FILE');
    expect((await store.listMessages('jan_corrupt')).messages.map(textOf)).toEqual(['kept']);
    expect(snapshot(jan)).toEqual(before);
  });

  it('skips garbage lines and a truncated last line, and keeps them verbatim through edits', async () => {
    const { jan, store, logger } = setup();
    const thread = await store.createThread({ assistants: [threadAssistant()] });
    const file = path.join(jan, 'threads', thread.id, 'messages.jsonl');
    await store.appendMessage(message(thread.id, 'first', 'user', 'm1'));
    await store.appendMessage(message(thread.id, 'second', 'assistant', 'm2'));
    const valid = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const garbage = 'this is not json';
    const notAMessage = '{"role":"user","content":"no id"}';
    const torn = '{"id":"m3","role":"user","content":[{"type":"te';
    writeFileSync(file, `${valid[0]}\n${garbage}\n${notAMessage}\n${valid[1]}\n${torn}`);

    const page = await store.listMessages(thread.id);
    expect(page.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(page.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^line 2 skipped: not valid JSON/),
      expect.stringMatching(/^line 3 skipped: not a message: "id" is missing/),
      expect.stringMatching(/^line 5 skipped: incomplete last line/),
    ]);

    await store.appendMessage(message(thread.id, 'third', 'user', 'm4'));
    await store.updateMessage({ ...page.messages[0]!, content: textContent('first, edited') });
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.slice(1, 5)).toEqual([garbage, notAMessage, valid[1], torn]);
    expect(logger.messages('warn').some((line) => /3 unreadable line\(s\) kept verbatim/.test(line))).toBe(true);

    await store.truncateFrom(thread.id, 'm1');
    expect(readFileSync(file, 'utf8')).toBe(`${garbage}\n${notAMessage}\n${torn}\n`);
    expect((await store.listMessages(thread.id)).messages).toEqual([]);
  });

  it('treats a missing .jan folder as empty and writes nothing while reading', async () => {
    const { root, jan, store } = setup();
    expect(await store.listThreads()).toEqual({ threads: [], warnings: [] });
    expect(await store.getThread('jan_1')).toBeUndefined();
    expect((await storeError(store.listMessages('jan_1'))).code).toBe('NOT_FOUND');
    expect(existsSync(jan)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });
});
