import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanCore, MemoryLogger } from '@jan/core';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { bundleEntry } from '../../support/bundle-entry';
import { removeTempWorkspaces, tempWorkspace, threadAssistant } from '../../unit/store/support/store-setup';
import { startChild } from './support/child-process';
import type { StoreChild } from './support/child-process';

let bundle: string;
beforeAll(async () => {
  bundle = await bundleEntry('test/integration/store/support/store-child.ts');
});
afterAll(removeTempWorkspaces);

/**
 * On tmpfs when there is one: what is tested here is the locking, which works the same there,
 * and without fsync latency the two processes interleave far more finely (a harder test).
 * The crash test runs on the disk.
 */
const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

async function setup() {
  const { jan } = tempWorkspace(base);
  const core = new JanCore({ janFolder: jan, modelsFolder: jan, logger: new MemoryLogger() }).context;
  const threads = new JanConversationalExtension(core);
  const thread = await threads.createThread({
    title: 'shared',
    assistants: [threadAssistant()],
    metadata: { counter: 0 },
  });
  return { jan, threads, thread };
}

/** Starts both children, then lets them go at the same moment. */
async function race(children: StoreChild[]): Promise<void> {
  await Promise.all(children.map((child) => child.waitFor((report) => report.kind === 'ready')));
  for (const child of children) child.process.send('go');
  await Promise.all(children.map((child) => child.waitFor((report) => report.kind === 'finished')));
  for (const child of children) expect(await child.exited).toEqual({ code: 0, signal: null });
}

describe('two processes on one thread (two VS Code windows)', () => {
  it('each appends 1,000 messages: exactly 2,000 valid lines, none lost or torn', async () => {
    const { jan, threads, thread } = await setup();
    await race([
      startChild(bundle, ['append', jan, thread.id, '1000', 'a']),
      startChild(bundle, ['append', jan, thread.id, '1000', 'b']),
    ]);

    const raw = readFileSync(path.join(jan, 'threads', thread.id, 'messages.jsonl'), 'utf8');
    const lines = raw.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2000);
    for (const line of lines) JSON.parse(line);

    const { messages, warnings } = await threads.listMessages(thread.id);
    expect(warnings).toEqual([]);
    const ids = new Set(messages.map((m) => m.id));
    expect(ids.size).toBe(2000);
    for (const tag of ['a', 'b']) {
      const own = messages.filter((m) => m.id.startsWith(`${tag}-`)).map((m) => Number(m.id.slice(2)));
      expect(own).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    }
  }, 60_000);

  it('concurrent read-modify-write updates of thread.json lose no update', async () => {
    const { jan, threads, thread } = await setup();
    await race([
      startChild(bundle, ['increment', jan, thread.id, '200', 'a']),
      startChild(bundle, ['increment', jan, thread.id, '200', 'b']),
    ]);
    const after = await threads.getThread(thread.id);
    expect(after?.metadata).toEqual({ counter: 400, last_a: 199, last_b: 199 });
  }, 60_000);
});

describe('two processes creating names that differ only in case, at the same moment', () => {
  it('one of each pair is created, the other refused: never both (one folder on Windows and macOS)', async () => {
    const { jan } = tempWorkspace(base);
    const pairs = Array.from({ length: 150 }, (_, i) => [`Race_Case_${i}`, `race_case_${i}`] as const);
    for (const kind of ['thread', 'assistant']) {
      const children = [0, 1].map((side) =>
        startChild(bundle, ['create', jan, kind, pairs.map((pair) => pair[side]).join(',')]),
      );
      await race(children);
      const outcomes = children.map((child) =>
        child.reports.flatMap((report) => (report.kind === 'result' ? [report] : [])),
      );
      for (const [index, [upper, lower]] of pairs.entries()) {
        const results = [outcomes[0]![index]!, outcomes[1]![index]!];
        expect(results.map((result) => result.step)).toEqual([upper, lower]);
        expect(
          results.filter((result) => result.ok),
          `${kind} ${upper}`,
        ).toHaveLength(1);
        expect(results.find((result) => !result.ok)).toMatchObject({ code: 'ALREADY_EXISTS' });
      }
      const folder = path.join(jan, kind === 'thread' ? 'threads' : 'assistants');
      const names = readdirSync(folder).filter((name) => !name.startsWith('.') && !name.endsWith('.lock'));
      expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    }
  }, 60_000);
});
