import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { textContent, textOf } from '@jan/core';
import { JanAssistantsExtension } from '../../../extensions/assistants';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { removeTempWorkspaces, storeError, tempWorkspace, testCore } from './support/store-setup';

afterEach(removeTempWorkspaces);

type Json = Record<string, unknown>;

function setup() {
  const { root, jan } = tempWorkspace();
  const test = testCore(jan);
  return {
    root,
    jan,
    ...test,
    threads: new JanConversationalExtension(test.core),
    assistants: new JanAssistantsExtension(test.core),
  };
}

function writeThread(jan: string, id: string, thread: Json, lines: Json[]): string {
  const folder = path.join(jan, 'threads', id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'thread.json'), JSON.stringify(thread, null, 2));
  writeFileSync(path.join(folder, 'messages.jsonl'), lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  return folder;
}

const readLines = (folder: string): Json[] =>
  readFileSync(path.join(folder, 'messages.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);

/** A Jan 0.6 exchange: a user message with an image part and a reply with reasoning and a tool call, then the tool's answer. */
function jan06Lines(threadId: string): Json[] {
  return [
    {
      id: '01JA0000000000000000000001',
      object: 'thread.message',
      thread_id: threadId,
      role: 'user',
      content: [
        { type: 'text', text: { value: 'What is in this picture?', annotations: [] } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' } },
      ],
      attachments: [{ file_id: 'file-1', tools: [{ type: 'file_search' }] }],
      status: 'ready',
      created_at: 1735000000,
      completed_at: 1735000000,
      metadata: { tokenSpeed: { tokenSpeed: 12.5 } },
    },
    {
      id: '01JA0000000000000000000002',
      object: 'thread.message',
      thread_id: threadId,
      assistant_id: 'jan',
      role: 'assistant',
      content: [
        { type: 'reasoning', text: { value: 'The user wants a description.', annotations: [] } },
        {
          type: 'tool_call',
          tool_call_id: 'call_1',
          tool_name: 'describe',
          input: { detail: 'high' },
          output: { label: 'a cat' },
        },
        { type: 'text', text: { value: 'A cat.', annotations: [] } },
      ],
      status: 'ready',
      created_at: 1735000001,
      completed_at: 1735000009,
      type: 'text',
      metadata: {},
    },
    {
      id: '01JA0000000000000000000003',
      object: 'thread.message',
      thread_id: threadId,
      role: 'tool',
      tool_call_id: 'call_1',
      content: [{ type: 'text', text: { value: '{"label":"a cat"}', annotations: [] } }],
      status: 'ready',
      created_at: 1735000002,
      completed_at: 1735000002,
    },
  ];
}

const thread06 = (id: string): Json => ({
  id,
  object: 'thread',
  title: 'Pictures',
  assistants: [
    {
      assistant_id: 'jan',
      assistant_name: 'Jan',
      model: { id: 'llava', settings: {}, parameters: {}, engine: 'llamacpp' },
      tool: [],
    },
  ],
  created: 1735000000,
  updated: 1735000009,
  metadata: { pinned: true },
});

describe('a rewrite starts from the record on disk and changes only what the caller changed', () => {
  it('keeps an image part, reasoning, tool calls and every other field of an edited 0.6 message, in order', async () => {
    const { jan, threads } = setup();
    const lines = jan06Lines('t06');
    const folder = writeThread(jan, 't06', thread06('t06'), lines);

    const { messages } = await threads.listMessages('t06');
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    const [user, reply] = messages;
    await threads.updateMessage({ ...user!, content: textContent('What is in this photo?') });
    await threads.updateMessage({ ...reply!, content: textContent('A small cat.') });

    const after = readLines(folder);
    expect(after[0]).toEqual({
      ...lines[0],
      content: [
        { type: 'text', text: { value: 'What is in this photo?', annotations: [] } },
        (lines[0]!.content as Json[])[1],
      ],
    });
    expect(after[1]).toEqual({
      ...lines[1],
      content: [
        ...(lines[1]!.content as Json[]).slice(0, 2),
        { type: 'text', text: { value: 'A small cat.', annotations: [] } },
      ],
    });
    expect(after[2]).toEqual(lines[2]);
  });

  it('writes only the fields that changed into the line (status, metadata), keeping the unknown ones', async () => {
    const { jan, threads } = setup();
    const lines = jan06Lines('t06');
    const folder = writeThread(jan, 't06', thread06('t06'), lines);
    const [, reply] = (await threads.listMessages('t06')).messages;
    await threads.updateMessage({ ...reply!, status: 'stopped', metadata: { ...reply!.metadata, note: 'kept' } });
    const after = readLines(folder);
    expect(after[1]).toEqual({ ...lines[1], status: 'stopped', metadata: { note: 'kept' } });
    expect(Object.keys(after[1]!)).toEqual(Object.keys(lines[1]!));
  });

  it('writes a changed time under the names the line uses (0.6 seconds stay seconds, 0.5 ms stay ms)', async () => {
    const { jan, threads } = setup();
    const lines = jan06Lines('t06');
    const folder = writeThread(jan, 't06', thread06('t06'), lines);
    const [, reply] = (await threads.listMessages('t06')).messages;
    await threads.updateMessage({ ...reply!, updated: 1_736_000_000_500 });
    expect(readLines(folder)[1]).toEqual({ ...lines[1], completed_at: 1_736_000_000 });
  });

  it('writes a changed time in the unit the line uses (0.4 wrote seconds under the ms names)', async () => {
    const { jan, threads } = setup();
    const old = {
      id: 'o1',
      object: 'thread.message',
      thread_id: 't04',
      role: 'user',
      status: 'ready',
      created: 1699000100,
      updated: 1699000100,
      content: 'hi',
    };
    const folder = writeThread(
      jan,
      't04',
      { id: 't04', title: 'Old', assistants: [], created: 1699000000, updated: 1699000100 },
      [old],
    );
    const [first] = (await threads.listMessages('t04')).messages;
    await threads.updateMessage({ ...first!, updated: 1_736_000_000_500 });
    expect(readLines(folder)[0]).toEqual({ ...old, updated: 1_736_000_000 });
  });

  it('renames a thread without touching its other fields or adding the normalized ones', async () => {
    const { jan, threads } = setup();
    const raw = { ...thread06('t06'), extra: { nested: [1, { deep: true }] } };
    const folder = writeThread(jan, 't06', raw, []);
    await threads.updateThread('t06', { title: 'Cats', updated: 1_800_000_000_000 });
    const after = JSON.parse(readFileSync(path.join(folder, 'thread.json'), 'utf8')) as Json;
    // The file counts in seconds (as Jan 0.6 does): the new time is written in seconds too.
    expect(after).toEqual({ ...raw, title: 'Cats', updated: 1_800_000_000 });
  });

  it('edits an assistant without dropping fields it does not know', async () => {
    const { jan, assistants } = setup();
    const raw = {
      avatar: '🐈',
      id: 'cat',
      object: 'assistant',
      created_at: 1735000000,
      name: 'Cat',
      model: '*',
      instructions: 'Meow.',
      tools: [{ type: 'retrieval', enabled: false, useTimeWeightedRetriever: false, settings: { top_k: 2 } }],
      file_ids: [],
      thread_location: null,
      parameters: { temperature: 0.2 },
    };
    mkdirSync(path.join(jan, 'assistants', 'cat'), { recursive: true });
    writeFileSync(path.join(jan, 'assistants', 'cat', 'assistant.json'), JSON.stringify(raw, null, 2));
    await assistants.updateAssistant('cat', { instructions: 'Purr.' });
    const after = JSON.parse(readFileSync(path.join(jan, 'assistants', 'cat', 'assistant.json'), 'utf8')) as Json;
    expect(after).toEqual({ ...raw, instructions: 'Purr.' });
  });
});

describe('keys are data: "__proto__" in a file is a field like any other', () => {
  const proto = '{"__proto__":{"polluted":true},"kept":1}';

  it('survives reading and rewriting a message line, thread.json and assistant.json', async () => {
    const { jan, threads, assistants } = setup();
    const folder = path.join(jan, 'threads', 'tp');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'thread.json'),
      `{"id":"tp","object":"thread","title":"P","assistants":[],"created":1,"updated":1,"metadata":${proto},"__proto__":{"x":1}}`,
    );
    writeFileSync(
      path.join(folder, 'messages.jsonl'),
      `{"id":"m1","object":"thread.message","thread_id":"tp","role":"user","status":"ready","created":1,"updated":1,"content":"hi","__proto__":{"y":2},"metadata":${proto}}\n`,
    );
    mkdirSync(path.join(jan, 'assistants', 'pa'), { recursive: true });
    writeFileSync(
      path.join(jan, 'assistants', 'pa', 'assistant.json'),
      `{"id":"pa","name":"P","__proto__":{"z":3},"metadata":${proto}}`,
    );

    const thread = await threads.getThread('tp');
    expect(Object.getPrototypeOf(thread)).toBe(Object.prototype);
    expect(Object.hasOwn(thread!, '__proto__')).toBe(true);
    await threads.updateThread('tp', { title: 'Q' });
    const [first] = (await threads.listMessages('tp')).messages;
    await threads.updateMessage({ ...first!, content: textContent('hello') });
    await assistants.updateAssistant('pa', { name: 'Q' });

    const threadJson = readFileSync(path.join(folder, 'thread.json'), 'utf8');
    // Unchanged, so written as it was read.
    expect(threadJson).toContain('"__proto__": {"x":1}');
    expect(JSON.parse(threadJson).metadata).toEqual(JSON.parse(proto));
    const line = readFileSync(path.join(folder, 'messages.jsonl'), 'utf8');
    expect(line).toContain('"__proto__":{"y":2}');
    expect(line).toContain(`"metadata":${proto}`);
    const assistantJson = readFileSync(path.join(jan, 'assistants', 'pa', 'assistant.json'), 'utf8');
    expect(assistantJson).toContain('"__proto__": {"z":3}');
    expect(({} as Json).polluted).toBeUndefined();
  });
});

describe('duplicate message ids: one line is addressed, by position and id', () => {
  const line = (id: string, text: string): Json => ({
    id,
    object: 'thread.message',
    thread_id: 'td',
    role: 'user',
    status: 'ready',
    created: 1_735_000_000_000,
    updated: 1_735_000_000_000,
    content: [{ type: 'text', text: { value: text, annotations: [] } }],
  });

  it('warns when the thread opens, and edits or deletes only the copy at that position', async () => {
    const { jan, threads } = setup();
    const folder = writeThread(jan, 'td', { id: 'td', title: 'D', assistants: [], created: 1, updated: 1 }, [
      line('dup', 'first'),
      line('other', 'middle'),
      line('dup', 'second'),
    ]);
    const page = await threads.listMessages('td');
    expect(page.messages.map(textOf)).toEqual(['first', 'middle', 'second']);
    expect(page.warnings).toEqual([
      { path: path.join(folder, 'messages.jsonl'), message: expect.stringMatching(/id "dup".*lines 1 and 3/) },
    ]);

    await threads.updateMessage({ ...page.messages[2]!, content: textContent('second, edited') }, 2);
    expect(readLines(folder).map((l) => (l.content as Array<{ text: { value: string } }>)[0]!.text.value)).toEqual([
      'first',
      'middle',
      'second, edited',
    ]);

    await threads.deleteMessage('td', 'dup', 0);
    expect(readLines(folder).map((l) => (l.content as Array<{ text: { value: string } }>)[0]!.text.value)).toEqual([
      'middle',
      'second, edited',
    ]);
  });

  it('refuses to guess which copy an id without a position means, and refuses a stale position', async () => {
    const { jan, threads } = setup();
    const folder = writeThread(jan, 'td', { id: 'td', title: 'D', assistants: [], created: 1, updated: 1 }, [
      line('dup', 'a'),
      line('dup', 'b'),
    ]);
    const before = readFileSync(path.join(folder, 'messages.jsonl'), 'utf8');
    const [first] = (await threads.listMessages('td')).messages;
    expect((await storeError(threads.deleteMessage('td', 'dup'))).message).toMatch(/appears 2 times/);
    expect(await storeError(threads.updateMessage({ ...first!, content: textContent('x') }))).toMatchObject({
      code: 'NOT_ALLOWED',
    });
    expect((await storeError(threads.truncateFrom('td', 'dup', 5))).code).toBe('NOT_FOUND');
    expect(readFileSync(path.join(folder, 'messages.jsonl'), 'utf8')).toBe(before);
  });
});

describe('numbers, bytes and nesting survive every rewrite', () => {
  const BIG = '12345678901234567891';
  const BAD = Buffer.from([0xff, 0xfe, 0xc3]);
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}${BIG}${'}'.repeat(depth)}`;

  /** A thread folder written as raw bytes (big integers, invalid UTF-8 and deep nesting cannot be made with JSON.stringify). */
  function writeRaw(jan: string, id: string, thread: Buffer, lines: Buffer[]): string {
    const folder = path.join(jan, 'threads', id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'thread.json'), thread);
    writeFileSync(
      path.join(folder, 'messages.jsonl'),
      Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')])),
    );
    return folder;
  }

  const threadBytes = (id: string, extra: Buffer) =>
    Buffer.concat([
      Buffer.from(
        `{"id":"${id}","object":"thread","title":"old","created":1716300000,"updated":1716300000,` +
          `"assistants":[{"assistant_id":"jan","assistant_name":"Jan","model":{"id":"m","engine":"llamacpp","settings":{"seed":${BIG}}}}],` +
          `"counter":${BIG},"note":"`,
      ),
      BAD,
      Buffer.from('",'),
      extra,
      Buffer.from('}'),
    ]);
  const lineBytes = (id: string, thread: string, extra: string) =>
    Buffer.concat([
      Buffer.from(
        `{"id":"${id}","object":"thread.message","thread_id":"${thread}","role":"user","status":"ready","created":1716300000000,"content":"hello","metadata":{"n":${BIG},"raw":"`,
      ),
      BAD,
      Buffer.from(`"}${extra}}`),
    ]);

  it('renaming a thread, changing its model and editing a message keep big integers and raw bytes they did not change', async () => {
    const { jan, threads } = setup();
    const folder = writeRaw(jan, 't1', threadBytes('t1', Buffer.from('"x":1')), [
      lineBytes('m1', 't1', ''),
      lineBytes('m2', 't1', ''),
    ]);
    await threads.updateThread('t1', { title: 'renamed' });
    await threads.updateThread('t1', (current) => ({
      assistants: [{ ...current.assistants[0]!, model: { ...current.assistants[0]!.model, id: 'other' } }],
    }));
    const [first] = (await threads.listMessages('t1')).messages;
    await threads.updateMessage({ ...first!, content: textContent('edited') });

    const thread = readFileSync(path.join(folder, 'thread.json'));
    expect(thread.toString('latin1').match(new RegExp(BIG, 'g'))).toHaveLength(2);
    expect(thread.includes(BAD)).toBe(true);
    const parsed = JSON.parse(thread.toString('utf8')) as Json;
    expect(parsed.title).toBe('renamed');
    // The array branch writes only what changed: no normalized id, name, parameters into assistants[0].
    expect((parsed.assistants as Json[])[0]).toEqual({
      assistant_id: 'jan',
      assistant_name: 'Jan',
      model: { id: 'other', engine: 'llamacpp', settings: { seed: 12345678901234567000 } },
    });
    const lines = readFileSync(path.join(folder, 'messages.jsonl'));
    expect(lines.toString('latin1').match(new RegExp(BIG, 'g'))).toHaveLength(2);
    expect(lines.toString('latin1').split(BAD.toString('latin1'))).toHaveLength(3);
    expect(readLines(folder)[0]!.content).toEqual([{ type: 'text', text: { value: 'edited', annotations: [] } }]);
  });

  it('an assistant.json keeps its big integers and raw bytes through an edit', async () => {
    const { jan, assistants } = setup();
    const file = path.join(jan, 'assistants', 'helper', 'assistant.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`{"id":"helper","name":"Helper","instructions":"old","seed":${BIG},"odd":"`),
        BAD,
        Buffer.from('"}'),
      ]),
    );
    await assistants.updateAssistant('helper', { instructions: 'new' });
    const bytes = readFileSync(file);
    expect(bytes.toString('latin1')).toContain(`"seed": ${BIG}`);
    expect(bytes.includes(BAD)).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ instructions: 'new' });
  });

  it('metadata nested 10,000 deep: the thread and its messages are renamed and edited, the deep part kept', async () => {
    const { jan, threads } = setup();
    const folder = writeRaw(jan, 't1', threadBytes('t1', Buffer.from(`"metadata":${deep(10_000)}`)), [
      lineBytes('m1', 't1', `,"extra":${deep(10_000)}`),
    ]);
    await threads.updateThread('t1', { title: 'renamed' });
    const [first] = (await threads.listMessages('t1')).messages;
    await threads.updateMessage({ ...first!, content: textContent('edited') });
    expect(readFileSync(path.join(folder, 'thread.json'), 'latin1')).toContain(`"metadata": ${deep(10_000)}`);
    expect(readFileSync(path.join(folder, 'messages.jsonl'), 'latin1')).toContain(`"extra":${deep(10_000)}`);
    expect((await threads.getThread('t1'))?.title).toBe('renamed');
  });
});
