/**
 * A second process on the same `.jan` folder (another VS Code window, in effect), driven by the
 * integration tests over IPC. Modes:
 *   crash <jan> <thread ids,...>      rewrites and appends forever, announcing each operation
 *                                      before it starts and after it completes (until SIGKILL)
 *   append <jan> <thread> <n> <tag>   appends n messages once told "go"
 *   increment <jan> <thread> <n> <tag> n read-modify-write updates of thread.json once told "go"
 *   readonly <jan> <thread> <other>   tries every operation on a folder it cannot write
 *   readonly-files <jan> <thread>      tries every change of existing files it cannot write
 *   create <jan> <kind> <ids,...>      creates each thread or assistant once told "go", reporting each outcome
 */
import { JanCore, errorMessage, isStoreError, silentLogger, textContent } from '@jan/core';
import type { ThreadMessage } from '@jan/core';
import { JanAssistantsExtension } from '../../../../extensions/assistants';
import { JanConversationalExtension } from '../../../../extensions/conversational';

export type CrashOp =
  | { op: 'append'; thread: string; id: string }
  | { op: 'title'; thread: string; title: string }
  | { op: 'edit'; thread: string; id: string; text: string }
  | { op: 'delete'; thread: string; id: string };

export type ChildReport =
  | { kind: 'ready' }
  | { kind: 'start' | 'done'; step: CrashOp }
  | { kind: 'finished'; count: number }
  | { kind: 'result'; step: string; ok: boolean; code?: string; message?: string; detail?: unknown };

const [mode, janFolder, ...rest] = process.argv.slice(2);

function send(report: ChildReport): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(report, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

function stores(jan: string) {
  const core = new JanCore({ janFolder: jan, modelsFolder: jan, logger: silentLogger }).context;
  return {
    threads: new JanConversationalExtension(core, { lockStaleMs: 2_000 }),
    assistants: new JanAssistantsExtension(core, { lockStaleMs: 2_000 }),
  };
}

function newMessage(thread: string, id: string, text: string): ThreadMessage {
  const now = Date.now();
  return {
    id,
    object: 'thread.message',
    thread_id: thread,
    role: 'user',
    content: textContent(text),
    status: 'ready',
    created: now,
    updated: now,
  };
}

const go = () => new Promise<void>((resolve) => process.once('message', () => resolve()));

async function crashLoop(threadIds: string[]): Promise<void> {
  const { threads } = stores(janFolder!);
  const live = new Map<string, string[]>(threadIds.map((id) => [id, []]));
  for (let i = 0; ; i++) {
    const thread = threadIds[i % threadIds.length]!;
    const ids = live.get(thread)!;
    const kind = Math.floor(i / threadIds.length) % 4;
    let step: CrashOp;
    if (kind === 0 || ids.length < 2) step = { op: 'append', thread, id: `c${i}` };
    else if (kind === 1) step = { op: 'title', thread, title: `title ${i}` };
    else if (kind === 2)
      step = { op: 'edit', thread, id: ids[ids.length - 1]!, text: `edit ${i} ${'x'.repeat(i % 300)}` };
    else step = { op: 'delete', thread, id: ids[0]! };
    await send({ kind: 'start', step });
    if (step.op === 'append') await threads.appendMessage(newMessage(thread, step.id, `appended ${i}`));
    if (step.op === 'title') await threads.updateThread(thread, { title: step.title });
    if (step.op === 'edit') {
      const { messages } = await threads.listMessages(thread);
      const target = messages.find((m) => m.id === (step as { id: string }).id)!;
      await threads.updateMessage({ ...target, content: textContent(step.text) });
    }
    if (step.op === 'delete') await threads.deleteMessage(thread, step.id);
    if (step.op === 'append') ids.push(step.id);
    if (step.op === 'delete') ids.shift();
    await send({ kind: 'done', step });
  }
}

async function appendMany(thread: string, count: number, tag: string): Promise<void> {
  const { threads } = stores(janFolder!);
  await send({ kind: 'ready' });
  await go();
  for (let i = 0; i < count; i++) await threads.appendMessage(newMessage(thread, `${tag}-${i}`, `${tag} says ${i}`));
  await send({ kind: 'finished', count });
}

async function incrementMany(thread: string, count: number, tag: string): Promise<void> {
  const { threads } = stores(janFolder!);
  await send({ kind: 'ready' });
  await go();
  for (let i = 0; i < count; i++) {
    await threads.updateThread(thread, (current) => ({
      metadata: { ...current.metadata, counter: ((current.metadata?.counter as number) ?? 0) + 1, [`last_${tag}`]: i },
    }));
  }
  await send({ kind: 'finished', count });
}

async function attempt(step: string, run: () => Promise<unknown>): Promise<void> {
  try {
    const detail = await run();
    await send({ kind: 'result', step, ok: true, detail });
  } catch (error) {
    await send({
      kind: 'result',
      step,
      ok: false,
      code: isStoreError(error) ? error.code : 'OTHER',
      message: errorMessage(error),
    });
  }
}

async function tryAll(thread: string, otherJan: string): Promise<void> {
  const { threads, assistants } = stores(janFolder!);
  await attempt('listThreads', async () => (await threads.listThreads()).threads.length);
  await attempt('listMessages', async () => (await threads.listMessages(thread)).messages.length);
  await attempt('listAssistants', async () => {
    const page = await assistants.listAssistants();
    return { ids: page.assistants.map((a) => a.id), warnings: page.warnings.map((w) => w.message) };
  });
  await attempt('appendMessage', () => threads.appendMessage(newMessage(thread, 'ro-1', 'lost?')));
  await attempt('updateThread', () => threads.updateThread(thread, { title: 'renamed' }));
  await attempt('updateMessage', async () => {
    const [first] = (await threads.listMessages(thread)).messages;
    return threads.updateMessage({ ...first!, content: textContent('edited') });
  });
  await attempt('deleteThread', () => threads.deleteThread(thread));
  await attempt('createThread', () => threads.createThread({ assistants: [] }));
  await attempt('createAssistant', () => assistants.createAssistant({ name: 'Helper' }));
  await attempt('createThreadInNewFolder', () => stores(otherJan).threads.createThread({ assistants: [] }));
}

async function tryChanges(thread: string): Promise<void> {
  const { threads, assistants } = stores(janFolder!);
  await attempt('listThreads', async () => (await threads.listThreads()).threads.length);
  await attempt('listMessages', async () => (await threads.listMessages(thread)).messages.length);
  await attempt('appendMessage', () => threads.appendMessage(newMessage(thread, 'ro-1', 'lost?')));
  await attempt('updateThread', () => threads.updateThread(thread, { title: 'renamed' }));
  await attempt('updateMessage', async () => {
    const [first] = (await threads.listMessages(thread)).messages;
    return threads.updateMessage({ ...first!, content: textContent('edited') });
  });
  await attempt('deleteMessage', async () => {
    const [first] = (await threads.listMessages(thread)).messages;
    return threads.deleteMessage(thread, first!.id);
  });
  await attempt('deleteThread', () => threads.deleteThread(thread));
  await attempt('updateAssistant', () => assistants.updateAssistant('jan', { instructions: 'changed' }));
}

async function createEach(kind: string, ids: string[]): Promise<void> {
  const { threads, assistants } = stores(janFolder!);
  await send({ kind: 'ready' });
  await go();
  for (const id of ids) {
    await attempt(id, () =>
      kind === 'thread' ? threads.createThread({ id, assistants: [] }) : assistants.createAssistant({ id, name: id }),
    );
  }
  await send({ kind: 'finished', count: ids.length });
}

const runs: Record<string, () => Promise<void>> = {
  crash: () => crashLoop(rest[0]!.split(',')),
  append: () => appendMany(rest[0]!, Number(rest[1]), rest[2]!),
  increment: () => incrementMany(rest[0]!, Number(rest[1]), rest[2]!),
  readonly: () => tryAll(rest[0]!, rest[1]!),
  'readonly-files': () => tryChanges(rest[0]!),
  create: () => createEach(rest[0]!, rest[1]!.split(',')),
};

runs[mode!]!().then(
  () => process.disconnect(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
