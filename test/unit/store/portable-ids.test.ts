import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertSafeId } from '@jan/core';
import { JanAssistantsExtension } from '../../../extensions/assistants';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { removeTempWorkspaces, storeError, tempWorkspace, testCore } from './support/store-setup';

afterEach(removeTempWorkspaces);

/** Names Windows cannot hold as a folder: device names with any case and extension, a trailing dot. */
const WINDOWS_UNSAFE = [
  'CON',
  'con',
  'Con',
  'nul',
  'NUL',
  'aux',
  'prn',
  'PRN.json',
  'COM1',
  'com9',
  'Com0',
  'LPT1',
  'lpt9',
  'con.txt',
  'NUL.tar.gz',
  'aux.',
  'abc.',
  'abc..',
  'jan_1716200000.',
];
const PORTABLE = ['console', 'com10', 'lpt', 'conx', 'nul_thread', 'a.b', 'jan_1716200000', 'COM', 'prn-2'];

describe('ids that name folders open on every system', () => {
  it.each(WINDOWS_UNSAFE)('refuses %j on every platform', (id) => {
    expect(() => assertSafeId(id, 'Thread')).toThrow(/Windows/);
  });

  it.each(PORTABLE)('accepts %j', (id) => {
    expect(assertSafeId(id, 'Thread')).toBe(id);
  });

  it('refuses them for threads and assistants, and names a new assistant "Con" con-2', async () => {
    const { jan } = tempWorkspace();
    const { core } = testCore(jan);
    const threads = new JanConversationalExtension(core);
    const assistants = new JanAssistantsExtension(core);
    for (const id of ['aux', 'CON.txt', 'ab.']) {
      expect((await storeError(threads.createThread({ id, assistants: [] }))).code).toBe('INVALID_ID');
      expect((await storeError(assistants.createAssistant({ id, name: id }))).code).toBe('INVALID_ID');
    }
    expect((await assistants.createAssistant({ name: 'Con' })).id).toBe('con-2');
  });

  it('refuses an id that differs from an existing one only in case (one folder on Windows and macOS)', async () => {
    const { jan } = tempWorkspace();
    const { core } = testCore(jan);
    const threads = new JanConversationalExtension(core);
    const assistants = new JanAssistantsExtension(core);
    await threads.createThread({ id: 'Jan_Thread', assistants: [] });
    await assistants.createAssistant({ id: 'Helper', name: 'Helper' });
    expect((await storeError(threads.createThread({ id: 'jan_thread', assistants: [] }))).message).toMatch(
      /"Jan_Thread".*differ only in case/,
    );
    expect((await storeError(assistants.createAssistant({ id: 'HELPER', name: 'x' }))).code).toBe('ALREADY_EXISTS');
    expect((await assistants.createAssistant({ name: 'helper' })).id).toBe('helper-2');
  });

  it('two names differing only in case created at the same moment in one process: one is refused', async () => {
    const { jan } = tempWorkspace();
    const { core } = testCore(jan);
    const threads = new JanConversationalExtension(core);
    const assistants = new JanAssistantsExtension(core);
    const results = await Promise.allSettled([
      threads.createThread({ id: 'Race_Case', assistants: [] }),
      threads.createThread({ id: 'race_case', assistants: [] }),
      assistants.createAssistant({ id: 'TINY', name: 'a' }),
      assistants.createAssistant({ id: 'tiny', name: 'b' }),
    ]);
    for (const pair of [results.slice(0, 2), results.slice(2)]) {
      expect(pair.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(pair.find((result) => result.status === 'rejected')).toMatchObject({
        reason: { code: 'ALREADY_EXISTS', message: expect.stringMatching(/differ only in case/) },
      });
    }
    const made = (folder: string) =>
      readdirSync(path.join(jan, folder)).filter((name) => !name.startsWith('.') && !name.endsWith('.lock'));
    expect(made('threads')).toHaveLength(1);
    expect(made('assistants')).toHaveLength(1);
  });

  it('lists a folder made on Linux with such a name as a warning saying what to do', async () => {
    const { jan } = tempWorkspace();
    const folder = path.join(jan, 'threads', 'nul');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'thread.json'),
      JSON.stringify({ id: 'nul', title: 'x', assistants: [], created: 1, updated: 1 }),
    );
    const threads = new JanConversationalExtension(testCore(jan).core);
    const page = await threads.listThreads();
    expect(page.threads).toEqual([]);
    expect(page.warnings).toEqual([
      { path: folder, message: expect.stringMatching(/cannot be opened on Windows.*rename/i) },
    ]);
  });
});
