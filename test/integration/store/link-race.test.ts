import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textContent } from '@jan/core';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { bundleEntry } from '../../support/bundle-entry';
import { message, removeTempWorkspaces, snapshot, tempWorkspace, testCore } from '../../unit/store/support/store-setup';

/**
 * Check-then-use, raced for real: a second process swaps a folder on the way to a thread's files
 * for a link to a folder outside `.jan` and back, in a loop, while this process appends,
 * rewrites thread.json and edits messages. Whatever fails, nothing outside may change.
 */
let swapper: string;
beforeAll(async () => {
  swapper = await bundleEntry('test/integration/store/support/link-swapper.ts');
});
afterAll(removeTempWorkspaces);

const OPERATIONS = 600;

type Report = { kind: 'ready' } | { kind: 'stopped'; swaps: number };

function startSwapper(folder: string, outside: string) {
  const child = fork(swapper, [folder, outside], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const reports: Report[] = [];
  const waiting: Array<() => void> = [];
  child.on('message', (report: Report) => {
    reports.push(report);
    for (const wake of waiting.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = async (kind: Report['kind']) => {
    while (!reports.some((report) => report.kind === kind)) {
      const next = new Promise<void>((resolve) => waiting.push(resolve));
      const code = await Promise.race([next.then(() => undefined), exited]);
      if (code !== undefined && !reports.some((report) => report.kind === kind))
        throw new Error(`the swapper exited (${code}): ${stderr}`);
    }
    return reports.find((report) => report.kind === kind)!;
  };
  return { child, until, exited, stderr: () => stderr };
}

describe('a second process swapping folders for links while the store writes', () => {
  for (const swapped of [['threads', 'victim'], ['threads']]) {
    it(`never changes anything outside .jan (${swapped.join('/')} swapped)`, async () => {
      const { root, jan } = tempWorkspace();
      const threads = new JanConversationalExtension(testCore(jan).core);
      await threads.createThread({ id: 'victim', title: 'victim', assistants: [] });
      const first = await threads.appendMessage(message('victim', 'first'));
      const outside = path.join(root, 'outside');
      // The outside folder looks like the thread folder (and like `threads`), so a redirected write would succeed.
      mkdirSync(path.join(outside, 'victim'), { recursive: true });
      for (const folder of [outside, path.join(outside, 'victim')]) {
        writeFileSync(path.join(folder, 'thread.json'), JSON.stringify({ id: 'victim', title: 'outside' }));
        writeFileSync(path.join(folder, 'messages.jsonl'), `${JSON.stringify({ ...first, id: 'outside' })}\n`);
      }
      const before = snapshot(outside);

      const swap = startSwapper(
        path.join(jan, ...swapped),
        swapped.length === 2 ? path.join(outside, 'victim') : outside,
      );
      await swap.until('ready');
      let succeeded = 0;
      for (let i = 0; i < OPERATIONS; i++) {
        const step = i % 3;
        try {
          if (step === 0) await threads.appendMessage(message('victim', `append ${i}`));
          if (step === 1) await threads.updateThread('victim', { title: `title ${i}` });
          if (step === 2) await threads.updateMessage({ ...first, content: textContent(`edit ${i}`) });
          succeeded++;
        } catch {
          // Refused or not found while the folder was away: allowed. Writing outside is not.
        }
      }
      swap.child.send('stop');
      const stopped = await swap.until('stopped');
      expect(await swap.exited).toBe(0);

      expect(snapshot(outside), `${succeeded} operations succeeded during ${JSON.stringify(stopped)}`).toEqual(before);
      expect(readdirSync(outside).sort()).toEqual(['messages.jsonl', 'thread.json', 'victim']);
      expect(readdirSync(path.join(outside, 'victim')).sort()).toEqual(['messages.jsonl', 'thread.json']);
      expect(succeeded).toBeGreaterThan(0);
    });
  }
});
