import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { textContent, textOf } from '@jan/core';
import { JanAssistantsExtension } from '../../../extensions/assistants';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { message, removeTempWorkspaces, snapshot, tempWorkspace, testCore } from './support/store-setup';

afterEach(removeTempWorkspaces);

/** Threads, messages and assistants in the shapes of Jan 0.4/0.5 and 0.6+ (its README says which is which). */
const FIXTURE = path.resolve(__dirname, '../../fixtures/jan-formats');
const THREADS = ['jan_1716400000123', '01JQ8Z6V3M2K9T4R7P5W1X0YAB', '01K2B7W9ZQ3N5T8RXC4VJ6PMHA'];

type Json = Record<string, unknown>;

const isSeconds = (value: unknown) => typeof value === 'number' && value < 1e11;

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Json;
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

function open() {
  const { jan } = tempWorkspace();
  cpSync(FIXTURE, jan, { recursive: true });
  const { core } = testCore(jan);
  return { jan, threads: new JanConversationalExtension(core), assistants: new JanAssistantsExtension(core) };
}

/** The first text part's value replaced: what an edit of the message's text may change, and nothing else. */
function withText(line: Json, text: string): Json {
  let done = false;
  const content = (line.content as Json[]).map((part) => {
    if (done || part.type !== 'text') return part;
    done = true;
    return { ...part, text: { ...(part.text as Json), value: text } };
  });
  return { ...line, content };
}

describe('round trip through the store of data Jan 0.4/0.5 and 0.6+ wrote', () => {
  it.each(THREADS)(
    '%s: open, edit the title, edit a message, append, delete one: every other field and line means the same',
    async (threadId) => {
      const { jan, threads, assistants } = open();
      const folder = path.join(jan, 'threads', threadId);
      const threadFile = path.join(folder, 'thread.json');
      const messagesFile = path.join(folder, 'messages.jsonl');
      const originalThread = readJson(threadFile);
      const originalLines = lines(messagesFile);

      const untouched = snapshot(jan);
      const listed = await threads.listThreads();
      expect(listed.warnings).toEqual([]);
      expect(listed.threads.map((thread) => thread.id).sort()).toEqual([...THREADS].sort());
      const page = await threads.listMessages(threadId);
      expect(page.warnings).toEqual([]);
      expect(page.messages).toHaveLength(originalLines.length);
      expect((await assistants.listAssistants()).warnings).toEqual([]);
      expect(snapshot(jan), 'opening writes nothing').toEqual(untouched);

      await threads.updateThread(threadId, { title: 'Edited title' });
      const edited = page.messages[0]!;
      await threads.updateMessage({ ...edited, content: textContent('Edited text') }, 0);
      const appended = await threads.appendMessage(message(threadId, 'Appended'));
      await threads.deleteMessage(threadId, page.messages[1]!.id, 1);

      const thread = readJson(threadFile);
      expect(thread).toEqual({ ...originalThread, title: 'Edited title', updated: thread.updated });
      expect(thread.updated).toBeGreaterThan(originalThread.updated as number);
      // In the unit the file uses: Jan 0.6 writes seconds, 0.5 milliseconds.
      expect(isSeconds(thread.updated)).toBe(isSeconds(originalThread.updated));
      expect(Object.keys(thread)).toEqual(Object.keys(originalThread));

      const after = lines(messagesFile);
      expect(after).toHaveLength(originalLines.length);
      expect(JSON.parse(after[0]!)).toEqual(withText(JSON.parse(originalLines[0]!) as Json, 'Edited text'));
      // Lines the round trip did not touch keep their bytes, not only their meaning.
      expect(after.slice(1, -1)).toEqual(originalLines.slice(2));
      expect(JSON.parse(after[after.length - 1]!)).toMatchObject({
        id: appended.id,
        thread_id: threadId,
        role: 'user',
      });

      const reopened = new JanConversationalExtension(testCore(jan).core);
      const again = await reopened.listMessages(threadId);
      expect(again.warnings).toEqual([]);
      expect(again.messages.map(textOf)).toEqual(['Edited text', ...page.messages.slice(2).map(textOf), 'Appended']);
      expect(again.messages.map((m) => m.content.filter((part) => part.type !== 'text'))).toEqual(
        [edited, ...page.messages.slice(2)].map((m) => m.content.filter((part) => part.type !== 'text')).concat([[]]),
      );
      for (const other of THREADS.filter((id) => id !== threadId)) {
        for (const name of ['thread.json', 'messages.jsonl']) {
          const file = path.join('threads', other, name);
          expect(readFileSync(path.join(jan, file), 'utf8'), file).toBe(readFileSync(path.join(FIXTURE, file), 'utf8'));
        }
      }
    },
  );

  it('edits an assistant of either version without changing anything else in it or in the other', async () => {
    const { jan, assistants } = open();
    for (const id of ['jan', 'coder']) {
      const file = path.join(jan, 'assistants', id, 'assistant.json');
      const original = readJson(file);
      await assistants.updateAssistant(id, { instructions: `Edited ${id}` });
      expect(readJson(file)).toEqual({ ...original, instructions: `Edited ${id}` });
      expect(Object.keys(readJson(file))).toEqual(Object.keys(original));
    }
    expect((await assistants.listAssistants()).assistants.map((assistant) => assistant.instructions)).toEqual([
      'Edited jan',
      'Edited coder',
    ]);
  });
});
