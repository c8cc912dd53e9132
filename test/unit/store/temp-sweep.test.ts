import { existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JanAssistantsExtension } from '../../../extensions/assistants';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { removeTempWorkspaces, tempWorkspace, testCore } from './support/store-setup';

afterEach(removeTempWorkspaces);

const TWO_MINUTES_AGO = new Date(Date.now() - 120_000);

function file(folder: string, name: string, old: boolean): string {
  const full = path.join(folder, name);
  writeFileSync(full, 'partial');
  if (old) utimesSync(full, TWO_MINUTES_AGO, TWO_MINUTES_AGO);
  return full;
}

describe('temp files left by a crash mid-rewrite', () => {
  it('are removed when their folder is next opened: only our own names, only when older than a minute', async () => {
    const { root, jan } = tempWorkspace();
    const thread = path.join(jan, 'threads', 't1');
    const assistant = path.join(jan, 'assistants', 'helper');
    mkdirSync(thread, { recursive: true });
    mkdirSync(assistant, { recursive: true });
    writeFileSync(
      path.join(thread, 'thread.json'),
      JSON.stringify({ id: 't1', title: 'T', assistants: [], created: 1, updated: 1 }),
    );
    writeFileSync(path.join(thread, 'messages.jsonl'), '');
    writeFileSync(path.join(assistant, 'assistant.json'), JSON.stringify({ id: 'helper', name: 'Helper' }));
    const outside = path.join(root, 'outside');
    mkdirSync(outside);
    const outsideTemp = file(outside, '.thread.json.4242-0123abcd.tmp', true);
    symlinkSync(outside, path.join(jan, 'threads', 'linked'), 'dir');

    const stale = [
      file(thread, '.messages.jsonl.4242-0123abcd.tmp', true),
      file(thread, '.thread.json.1-ffffffff.tmp', true),
      file(assistant, '.assistant.json.77-00000000.tmp', true),
      file(jan, '.gitignore.9-abcdef01.tmp', true),
    ];
    const kept = [
      file(thread, '.messages.jsonl.4243-0123abcd.tmp', false),
      file(thread, '.messages.jsonl.tmp', true),
      file(thread, 'notes.tmp', true),
      file(thread, '.messages.jsonl.12-nothex!!.tmp', true),
      file(thread, '.messages.jsonl.12-0123abcd.tmp.bak', true),
    ];
    mkdirSync(path.join(thread, '.folder.1-0123abcd.tmp'));
    utimesSync(path.join(thread, '.folder.1-0123abcd.tmp'), TWO_MINUTES_AGO, TWO_MINUTES_AGO);
    // A folder an interrupted import was building (with what it had copied), and one being built right now.
    const staleStaging = path.join(jan, 'threads', '.t2.4242-0123abcd.staging');
    const freshStaging = path.join(jan, 'threads', '.t3.4243-0123abcd.staging');
    for (const staging of [staleStaging, freshStaging]) {
      mkdirSync(path.join(staging, 'files'), { recursive: true });
      writeFileSync(path.join(staging, 'files', 'a.txt'), 'copied');
    }
    utimesSync(staleStaging, TWO_MINUTES_AGO, TWO_MINUTES_AGO);

    const { core } = testCore(jan);
    const threads = new JanConversationalExtension(core);
    await threads.listThreads();
    await threads.listMessages('t1');
    await new JanAssistantsExtension(core).listAssistants();

    for (const name of stale) expect(existsSync(name), name).toBe(false);
    for (const name of kept) expect(existsSync(name), name).toBe(true);
    expect(readdirSync(thread)).toContain('.folder.1-0123abcd.tmp');
    expect(existsSync(outsideTemp)).toBe(true);
    expect(existsSync(staleStaging)).toBe(false);
    expect(existsSync(freshStaging)).toBe(true);
  });
});
