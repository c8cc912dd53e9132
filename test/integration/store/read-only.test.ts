import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempWorkspaces, snapshot, tempWorkspace } from '../../unit/store/support/store-setup';
import { startChild, type StoreChild } from './support/child-process';
import type { ChildReport } from './support/store-child';
import { bundleChild, childHome } from './support/unprivileged';

/**
 * A read-only folder, for real. Root writes through chmod 0555, so when the tests run as root
 * the writer is a child process running as the unprivileged user `nobody` (uid 65534) on a
 * folder whose files it does not own, with write bits removed too (which is what stops the
 * writer when the tests run as a normal user). The kernel then refuses every write: EACCES.
 * The child and the data live in a temp folder of their own (support/unprivileged.ts), so the
 * checkout's own place and mode do not matter.
 */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const found = childHome();
/** Said in each test's title (so in the summary) on a machine where the child cannot run at all. */
const cannotRun = found.ok ? '' : ` — NOT RUN: ${found.problem}`;

let bundle: string;
beforeAll(async () => {
  if (found.ok) bundle = await bundleChild(found.home);
});
afterAll(() => {
  removeTempWorkspaces();
  if (found.ok) rmSync(found.home.folder, { recursive: true, force: true });
});

/** The child's result per step, once it exited cleanly. */
async function resultsOf(child: StoreChild): Promise<Map<string, ChildReport>> {
  const { code } = await child.exited;
  expect(code, child.stderr()).toBe(0);
  return new Map(
    child.reports.flatMap((report: ChildReport) => (report.kind === 'result' ? [[report.step, report] as const] : [])),
  );
}

function readOnlyChild(args: string[]) {
  if (!found.ok) throw new Error(found.problem);
  return startChild(bundle, args, found.home.fork);
}

/** One message: where (the path), why (read-only, the system's code), what to do; no stack trace. */
const READ_ONLY_MESSAGE =
  /^Cannot \S+.* \/\S+: it or its folder is read-only \(EACCES\)\. The chat history can still be read; to save changes, make .+ writable .*\.$/;

function setWritable(root: string, writable: boolean): void {
  for (const name of readdirSync(root)) {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) setWritable(full, writable);
    else chmodSync(full, writable ? 0o644 : 0o444);
  }
  chmodSync(root, writable ? 0o755 : 0o555);
}

describe('a read-only workspace folder', () => {
  it.skipIf(!found.ok)(
    `still lists and reads; every write fails with READ_ONLY and a clear message; nothing changes${cannotRun}`,
    async () => {
      const { root, jan } = tempWorkspace(found.ok ? found.home.folder : undefined);
      cpSync(path.resolve(__dirname, '../../fixtures/jan-0.5'), jan, { recursive: true });
      rmSync(path.join(jan, 'assistants'), { recursive: true });
      mkdirSync(path.join(root, 'other'));
      const before = snapshot(jan);
      setWritable(root, false);
      try {
        const child = readOnlyChild(['readonly', jan, 'jan_1716300000', path.join(root, 'other', '.jan')]);
        const results = await resultsOf(child);

        expect(results.get('listThreads')).toMatchObject({ ok: true, detail: 3 });
        expect(results.get('listMessages')).toMatchObject({ ok: true, detail: 2 });
        const assistants = results.get('listAssistants');
        expect(assistants).toMatchObject({ ok: true, detail: { ids: ['jan'] } });
        expect((assistants as { detail: { warnings: string[] } }).detail.warnings).toEqual([
          expect.stringMatching(/default assistant could not be saved.*read-only \(EACCES\)/),
        ]);
        for (const step of [
          'appendMessage',
          'updateThread',
          'updateMessage',
          'deleteThread',
          'createThread',
          'createAssistant',
          'createThreadInNewFolder',
        ]) {
          const result = results.get(step);
          expect(result, step).toMatchObject({ ok: false, code: 'READ_ONLY' });
          expect((result as { message: string }).message, step).toMatch(READ_ONLY_MESSAGE);
        }
      } finally {
        setWritable(root, true);
      }
      expect(snapshot(jan)).toEqual(before);
      expect(readdirSync(path.join(root, 'other'))).toEqual([]);
    },
  );
});

/** Every file and folder under `root` owned by `nobody` (when the tests run as root), so its own write bits decide. */
function giveToNobody(root: string): void {
  if (!asRoot) return;
  chownSync(root, NOBODY, NOBODY);
  for (const name of readdirSync(root)) {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) giveToNobody(full);
    else chownSync(full, NOBODY, NOBODY);
  }
}

function setFilesReadOnly(root: string): void {
  for (const name of readdirSync(root)) {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) setFilesReadOnly(full);
    else chmodSync(full, 0o444);
  }
}

describe('read-only files in a writable folder', () => {
  it.skipIf(!found.ok)(
    `are not replaced by a rewrite or removed with their thread: every change fails with READ_ONLY${cannotRun}`,
    async () => {
      const { root, jan } = tempWorkspace(found.ok ? found.home.folder : undefined);
      cpSync(path.resolve(__dirname, '../../fixtures/jan-0.5'), jan, { recursive: true });
      giveToNobody(root);
      setFilesReadOnly(jan);
      const before = snapshot(jan);
      const child = readOnlyChild(['readonly-files', jan, 'jan_1716300000']);
      const results = await resultsOf(child);
      expect(results.get('listThreads')).toMatchObject({ ok: true, detail: 3 });
      expect(results.get('listMessages')).toMatchObject({ ok: true, detail: 2 });
      for (const step of [
        'appendMessage',
        'updateThread',
        'updateMessage',
        'deleteMessage',
        'deleteThread',
        'updateAssistant',
      ]) {
        const result = results.get(step);
        expect(result, step).toMatchObject({ ok: false, code: 'READ_ONLY' });
        expect((result as { message: string }).message, step).toMatch(READ_ONLY_MESSAGE);
      }
      // The folder itself is writable: the first write attempt may add .gitignore, nothing else changes.
      const { '.gitignore': _gitignore, ...after } = snapshot(jan);
      expect(after).toEqual(before);
    },
  );
});
