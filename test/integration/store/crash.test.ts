import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanCore, MemoryLogger, textContent, textOf } from '@jan/core';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { bundleEntry } from '../../support/bundle-entry';
import { seededRandom } from '../../support/seeded-random';
import { removeTempWorkspaces, tempWorkspace, threadAssistant } from '../../unit/store/support/store-setup';
import { startChild } from './support/child-process';
import type { ChildReport, CrashOp } from './support/store-child';

let bundle: string;
beforeAll(async () => {
  bundle = await bundleEntry('test/integration/store/support/store-child.ts');
});
afterAll(removeTempWorkspaces);

function storeFor(jan: string) {
  const logger = new MemoryLogger();
  const core = new JanCore({ janFolder: jan, modelsFolder: jan, logger }).context;
  return { logger, threads: new JanConversationalExtension(core, { lockStaleMs: 2_000 }) };
}

/** What must be on disk given the operations the child reported complete, and the one it had started. */
function expectations(reports: ChildReport[]) {
  const done = reports.flatMap((r) => (r.kind === 'done' ? [r.step] : []));
  const started = reports.flatMap((r) => (r.kind === 'start' ? [r.step] : []));
  const inFlight: CrashOp | undefined = started.length > done.length ? started[started.length - 1] : undefined;
  return { done, inFlight };
}

/**
 * Kills the child when it reports the `killAfter`-th completed write, or (`midWrite`) when it
 * reports starting the next one, so the kill lands inside a write without any sleep.
 */
async function crashRound(threadCount: number, killAfter: number, midWrite: boolean) {
  const { jan } = tempWorkspace();
  const { threads } = storeFor(jan);
  const ids: string[] = [];
  for (let i = 0; i < threadCount; i++)
    ids.push((await threads.createThread({ title: 'start', assistants: [threadAssistant()] })).id);

  const child = startChild(bundle, ['crash', jan, ids.join(',')]);
  let completed = 0;
  await child.waitFor((report) => {
    if (report.kind === 'done') completed += 1;
    return completed >= killAfter && (!midWrite || report.kind === 'start');
  });
  child.process.kill('SIGKILL');
  const { signal } = await child.exited;
  expect(signal).toBe('SIGKILL');
  if (child.process.connected) await new Promise((resolve) => child.process.once('disconnect', resolve));
  return { jan, ids, threads, ...expectations(child.reports) };
}

describe('crash safety: a writer killed with SIGKILL mid-loop', () => {
  it('leaves every thread readable and loses no completed write (3 rounds)', async () => {
    const random = seededRandom('crash kill points');
    for (const killAfter of [25 + Math.floor(random() * 25), 60 + Math.floor(random() * 30), 100]) {
      const { jan, ids, threads, done, inFlight } = await crashRound(4, killAfter, random() < 0.7);
      expect(done.length).toBeGreaterThanOrEqual(killAfter);

      const page = await threads.listThreads();
      expect(page.warnings).toEqual([]);
      expect(page.threads.map((t) => t.id).sort()).toEqual([...ids].sort());

      for (const id of ids) {
        const ops = done.filter((op) => op.thread === id);
        const flying = inFlight?.thread === id ? inFlight : undefined;
        const titles = ops.flatMap((op) => (op.op === 'title' ? [op.title] : []));
        const thread = page.threads.find((t) => t.id === id)!;
        expect([titles.at(-1) ?? 'start', ...(flying?.op === 'title' ? [flying.title] : [])]).toContain(thread.title);

        const { messages, warnings } = await threads.listMessages(id);
        // A torn line can only be the tail of the append that was cut; it is skipped, never fatal.
        for (const warning of warnings)
          expect(flying?.op === 'append' && /incomplete last line/.test(warning.message)).toBe(true);
        const present = new Map(messages.map((m) => [m.id, textOf(m)]));
        expect(present.size).toBe(messages.length);

        const appended = ops.flatMap((op) => (op.op === 'append' ? [op.id] : []));
        const deleted = new Set(ops.flatMap((op) => (op.op === 'delete' ? [op.id] : [])));
        for (const messageId of appended) {
          if (deleted.has(messageId)) expect(present.has(messageId)).toBe(false);
          else if (!(flying?.op === 'delete' && flying.id === messageId)) expect(present.has(messageId)).toBe(true);
        }
        for (const messageId of present.keys())
          expect(appended.includes(messageId) || (flying?.op === 'append' && flying.id === messageId)).toBe(true);

        for (const [messageId, text] of present) {
          const edits = ops.flatMap((op) => (op.op === 'edit' && op.id === messageId ? [op.text] : []));
          const allowed = [edits.at(-1) ?? `appended ${messageId.slice(1)}`];
          if (flying?.op === 'edit' && flying.id === messageId) allowed.push(flying.text);
          expect(allowed).toContain(text);
        }

        // The next writer gets through, taking over a lock the killed child may have held.
        await threads.appendMessage({
          ...(messages[0] ?? { role: 'user', status: 'ready', object: 'thread.message' }),
          id: `after-${id}`,
          thread_id: id,
          content: textContent('after the crash'),
          created: Date.now(),
          updated: Date.now(),
        });
        await threads.updateThread(id, { title: 'recovered' });
        const after = await threads.listMessages(id);
        expect(after.messages.map((m) => m.id)).toEqual([...messages.map((m) => m.id), `after-${id}`]);
      }
      // Left-over temp files of an interrupted rewrite never show up as threads or messages.
      expect(
        readdirSync(path.join(jan, 'threads'))
          .filter((name) => !name.startsWith('.') && !name.endsWith('.lock'))
          .sort(),
      ).toEqual([...ids].sort());
    }
  }, 60_000);
});
