import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { textContent, textOf } from '@jan/core';
import { JanAssistantsExtension } from '../../../extensions/assistants';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { expectJanMessage, expectJanThread, janReadsMessages, janReadsThreads } from './support/jan-reader';
import { message, removeTempWorkspaces, snapshot, tempWorkspace, testCore } from './support/store-setup';

afterEach(removeTempWorkspaces);

const FIXTURE = path.resolve(__dirname, '../../fixtures/jan-0.5');

function copyOfFixture() {
  const { jan } = tempWorkspace();
  cpSync(FIXTURE, jan, { recursive: true });
  const test = testCore(jan);
  return {
    jan,
    ...test,
    threads: new JanConversationalExtension(test.core),
    assistants: new JanAssistantsExtension(test.core),
  };
}

describe('a .jan folder written by Jan 0.5', () => {
  it('loads threads, messages and the assistant, normalized in memory, without touching a file', async () => {
    const { jan, threads, assistants } = copyOfFixture();
    const before = snapshot(jan);

    const page = await threads.listThreads();
    expect(page.warnings).toEqual([]);
    expect(page.threads.map((t) => t.id)).toEqual(['jan_1716300000', 'jan_1716201000', 'jan_1699000000']);
    const [current, remote, old] = page.threads;
    expect(current!.assistants[0]).toMatchObject({
      assistant_id: 'jan',
      id: 'jan',
      name: 'Jan',
      model: { id: 'llama3-8b-instruct', engine: 'nitro' },
    });
    expect(current!.metadata).toEqual({ lastMessage: 'Use sorted(items, key=len).' });
    expect(remote!.assistants[0]!.model.engine).toBe('openai');
    expect(old!.assistants[0]!.model.engine).toBe('llamacpp');
    expect(old!.created).toBe(1_699_000_000_000);
    expect(old!.updated).toBe(1_699_000_600_000);

    const reply = (await threads.listMessages('jan_1716300000')).messages[1]!;
    expect(reply).toMatchObject({
      role: 'assistant',
      assistant_id: 'jan',
      status: 'ready',
      created: 1716300010230,
      created_at: 1716300010,
      completed_at: 1716300042,
    });
    expect(textOf(reply)).toBe('Use sorted(items, key=len).');
    const failed = (await threads.listMessages('jan_1716201000')).messages[1]!;
    expect(failed).toMatchObject({ status: 'error', error_code: 'invalid_api_key' });

    const oldMessages = await threads.listMessages('jan_1699000000');
    expect(oldMessages.warnings).toEqual([]);
    expect(oldMessages.messages.map((m) => [textOf(m), m.status, m.created])).toEqual([
      ['What is a monad?', 'ready', 1_699_000_100_000],
      ['A monoid in the category of endofunctors.', 'ready', 1_699_000_200_000],
    ]);

    const list = await assistants.listAssistants();
    expect(list.assistants.map((a) => [a.id, a.name, a.created_at])).toEqual([['jan', 'Jan', 1716199000123]]);
    expect(snapshot(jan)).toEqual(before);
  });

  it('stays readable by Jan after our writes, keeping the fields Jan wrote', async () => {
    const { jan, threads } = copyOfFixture();
    await threads.updateThread('jan_1699000000', { title: 'Monads' });
    await threads.updateThread('jan_1716300000', { title: 'Sorting' });
    const messages = (await threads.listMessages('jan_1716300000')).messages;
    await threads.updateMessage({ ...messages[1]!, content: textContent('Use sorted(items, key=len) or list.sort.') });
    await threads.appendMessage(message('jan_1716300000', 'Thanks!'));

    const seen = janReadsThreads(jan);
    // The old thread counts in seconds and keeps doing so after the rename, as Jan wrote it.
    expect(seen.map((t) => t.id)).toEqual(['jan_1716300000', 'jan_1716201000', 'jan_1699000000']);
    expect(seen[2]!.updated).toBeGreaterThan(1_699_000_600);
    expect(seen[2]!.updated).toBeLessThan(1e11);
    // Edited, not created here: Jan's own fields stay as Jan wrote them (no 0.6 names added).
    for (const thread of seen) expectJanThread(thread, false);
    const sorting = seen[0]!;
    const model = (sorting.assistants as Array<Record<string, Record<string, unknown>>>)[0]!.model!;
    expect(model.engine).toBe('nitro');
    expect((model.settings as Record<string, unknown>).llama_model_path).toBe('Meta-Llama-3-8B-Instruct-Q4_K_M.gguf');
    expect(sorting.metadata).toEqual({ lastMessage: 'Use sorted(items, key=len).' });

    const lines = janReadsMessages(jan, 'jan_1716300000');
    expect(lines).toHaveLength(3);
    lines.forEach((line, index) => expectJanMessage(line, 'jan_1716300000', index === 2));
    expect(lines[1]).toMatchObject({ type: 'Thread', assistant_id: 'jan' });
    const fixtureLines = readFileSync(path.join(FIXTURE, 'threads/jan_1716300000/messages.jsonl'), 'utf8').split('\n');
    expect(readFileSync(path.join(jan, 'threads/jan_1716300000/messages.jsonl'), 'utf8').split('\n')[0]).toBe(
      fixtureLines[0],
    );
  });
});
