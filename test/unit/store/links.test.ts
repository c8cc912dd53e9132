import { execFileSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JanAssistantsExtension } from '../../../extensions/assistants';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { message, removeTempWorkspaces, snapshot, storeError, tempWorkspace, testCore } from './support/store-setup';

afterEach(removeTempWorkspaces);

const THREAD = (id: string) =>
  JSON.stringify({ id, object: 'thread', title: id, assistants: [], created: 1, updated: 1 });
const LINE = (id: string, threadId: string) =>
  `${JSON.stringify({ id, object: 'thread.message', thread_id: threadId, role: 'user', status: 'ready', created: 1, updated: 1, content: 'hi' })}\n`;

/** A workspace whose `.jan` holds one real thread, and a folder outside it that links will point at. */
function setup() {
  const { root, jan } = tempWorkspace();
  const outside = path.join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'thread.json'), THREAD('away'));
  writeFileSync(path.join(outside, 'messages.jsonl'), LINE('m0', 'away'));
  mkdirSync(path.join(jan, 'threads', 'real'), { recursive: true });
  writeFileSync(path.join(jan, 'threads', 'real', 'thread.json'), THREAD('real'));
  writeFileSync(path.join(jan, 'threads', 'real', 'messages.jsonl'), LINE('m1', 'real'));
  const test = testCore(jan);
  return {
    root,
    jan,
    outside,
    threads: new JanConversationalExtension(test.core),
    assistants: new JanAssistantsExtension(test.core),
  };
}

describe('symbolic links that leave .jan', () => {
  it('a thread folder linked outside: listed as a warning, and every write and delete refused naming the link', async () => {
    const { jan, outside, threads } = setup();
    const link = path.join(jan, 'threads', 'away');
    symlinkSync(outside, link, 'dir');
    const before = snapshot(outside);

    const page = await threads.listThreads();
    expect(page.threads.map((thread) => thread.id)).toEqual(['real']);
    expect(page.warnings).toEqual([{ path: link, message: expect.stringContaining(`symbolic link to ${outside}`) }]);

    // One at a time: a refusal started early and awaited late would be an unhandled rejection.
    for (const attempt of [
      () => threads.appendMessage(message('away', 'escape')),
      () => threads.updateThread('away', { title: 'escaped' }),
      () => threads.deleteMessage('away', 'm0'),
      () => threads.deleteThread('away'),
    ]) {
      const error = await storeError(attempt());
      expect(error.code).toBe('NOT_ALLOWED');
      expect(error.message).toContain(link);
      expect(error.message).toMatch(/outside the data folder/);
    }
    expect(snapshot(outside)).toEqual(before);
    expect(existsSync(link)).toBe(true);
  });

  it('messages.jsonl or thread.json linked outside (even to a file that does not exist yet) is never written through', async () => {
    const { jan, outside, threads } = setup();
    const messages = path.join(jan, 'threads', 'real', 'messages.jsonl');
    const threadFile = path.join(jan, 'threads', 'real', 'thread.json');
    mkdirSync(path.join(jan, 'threads', 'dangling'));
    writeFileSync(path.join(jan, 'threads', 'dangling', 'thread.json'), THREAD('dangling'));
    symlinkSync(path.join(outside, 'created-by-us.jsonl'), path.join(jan, 'threads', 'dangling', 'messages.jsonl'));
    rmSync(messages);
    rmSync(threadFile);
    symlinkSync(path.join(outside, 'messages.jsonl'), messages);
    symlinkSync(path.join(outside, 'thread.json'), threadFile);
    const before = snapshot(outside);

    expect((await storeError(threads.appendMessage(message('real', 'escape')))).message).toContain(messages);
    expect((await storeError(threads.appendMessage(message('dangling', 'escape')))).code).toBe('NOT_ALLOWED');
    expect((await storeError(threads.updateThread('real', { title: 'escaped' }))).message).toContain(threadFile);
    const listed = await threads.listThreads();
    expect(listed.warnings.map((warning) => warning.path)).toContain(threadFile);
    const page = await threads.listMessages('real');
    expect(page.messages).toEqual([]);
    expect(page.warnings).toEqual([
      { path: messages, message: expect.stringMatching(/symbolic link .*outside the data folder/) },
    ]);

    expect(snapshot(outside)).toEqual(before);
    expect(existsSync(path.join(outside, 'created-by-us.jsonl'))).toBe(false);
  });

  it('the threads or assistants folder itself linked outside: nothing is created there', async () => {
    const { jan, outside, threads, assistants } = setup();
    rmSync(path.join(jan, 'threads'), { recursive: true });
    symlinkSync(outside, path.join(jan, 'threads'), 'dir');
    symlinkSync(outside, path.join(jan, 'assistants'), 'dir');
    const before = snapshot(outside);

    expect((await threads.listThreads()).warnings).toEqual([
      { path: path.join(jan, 'threads'), message: expect.stringContaining('symbolic link') },
    ]);
    expect((await storeError(threads.createThread({ assistants: [] }))).code).toBe('NOT_ALLOWED');
    expect((await storeError(assistants.createAssistant({ name: 'Escape' }))).code).toBe('NOT_ALLOWED');
    const listed = await assistants.listAssistants();
    expect(listed.assistants.map((assistant) => assistant.id)).toEqual(['jan']);
    expect(snapshot(outside)).toEqual(before);
    expect(readFileSync(path.join(outside, 'thread.json'), 'utf8')).toBe(THREAD('away'));
  });

  it('messages.jsonl hard-linked to a file elsewhere is not appended to (the bytes would land there too)', async () => {
    const { jan, outside, threads } = setup();
    const messages = path.join(jan, 'threads', 'real', 'messages.jsonl');
    rmSync(messages);
    linkSync(path.join(outside, 'messages.jsonl'), messages);
    const before = snapshot(outside);
    const error = await storeError(threads.appendMessage(message('real', 'escape')));
    expect(error.code).toBe('NOT_ALLOWED');
    expect(error.message).toMatch(/hard link/);
    expect(snapshot(outside)).toEqual(before);
  });

  it('.jan itself linked out of the workspace (a repository can ship that) is refused', async () => {
    const { root } = tempWorkspace();
    const elsewhere = path.join(root, '..', `${path.basename(root)}-elsewhere`);
    mkdirSync(path.join(root, 'workspace'));
    mkdirSync(elsewhere);
    try {
      const jan = path.join(root, 'workspace', '.jan');
      symlinkSync(elsewhere, jan, 'dir');
      const threads = new JanConversationalExtension(testCore(jan).core);
      const error = await storeError(threads.createThread({ assistants: [] }));
      expect(error.code).toBe('NOT_ALLOWED');
      expect(error.message).toContain(jan);
      expect((await threads.listThreads()).warnings).toEqual([
        { path: jan, message: expect.stringContaining('symbolic link') },
      ]);
      expect(snapshot(elsewhere)).toEqual({});

      const inside = path.join(root, 'workspace', 'jan-data');
      mkdirSync(inside);
      rmSync(jan);
      symlinkSync(inside, jan, 'dir');
      await new JanConversationalExtension(testCore(jan).core).createThread({ assistants: [] });
      expect(Object.keys(snapshot(inside))).toHaveLength(2);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('.jan linked to its own folder (`.jan → .`) is refused: threads would land among the workspace files', async () => {
    const { root } = tempWorkspace();
    const workspace = path.join(root, 'workspace');
    mkdirSync(workspace);
    const jan = path.join(workspace, '.jan');
    symlinkSync('.', jan, 'dir');
    const threads = new JanConversationalExtension(testCore(jan).core);
    const error = await storeError(threads.createThread({ assistants: [] }));
    expect(error.code).toBe('NOT_ALLOWED');
    expect(error.message).toMatch(/its own folder/);
    expect(readdirSync(workspace)).toEqual(['.jan']);
  });

  it('a file too large to be a thread file is refused before it is read (sparse files, so no disk is used)', async () => {
    const { jan, threads } = setup();
    const messages = path.join(jan, 'threads', 'real', 'messages.jsonl');
    const threadFile = path.join(jan, 'threads', 'real', 'thread.json');
    truncateSync(messages, 257 * 1024 * 1024);
    truncateSync(threadFile, 17 * 1024 * 1024);
    expect((await storeError(threads.listMessages('real'))).message).toMatch(/larger than the 256\.0 MB Jan reads/);
    expect((await storeError(threads.getThread('real'))).message).toMatch(/larger than the 16\.0 MB Jan reads/);
    expect((await threads.listThreads()).warnings).toEqual([
      { path: threadFile, message: expect.stringMatching(/larger than the 16\.0 MB/) },
    ]);
  });

  it('a thread file linked to a device is refused without reading it (/dev/zero never ends)', async () => {
    const { jan, threads } = setup();
    const messages = path.join(jan, 'threads', 'real', 'messages.jsonl');
    rmSync(messages);
    symlinkSync('/dev/zero', messages);
    const page = await threads.listMessages('real');
    expect(page.messages).toEqual([]);
    expect(page.warnings).toEqual([{ path: messages, message: expect.stringMatching(/outside the data folder/) }]);
  });

  it('a FIFO or device in place of a file is reported, never read (a read would block the editor)', async () => {
    const { jan, threads } = setup();
    const messages = path.join(jan, 'threads', 'real', 'messages.jsonl');
    const threadFile = path.join(jan, 'threads', 'real', 'thread.json');
    rmSync(messages);
    rmSync(threadFile);
    execFileSync('mkfifo', [messages]);
    execFileSync('mkfifo', [threadFile]);
    expect((await threads.listThreads()).warnings).toEqual([
      { path: threadFile, message: expect.stringMatching(/not a regular file/) },
    ]);
    expect((await storeError(threads.getThread('real'))).message).toMatch(/not a regular file/);
    expect((await storeError(threads.listMessages('real'))).message).toMatch(/not a regular file/);
    // A chat turn appends: refused at once, never waiting for a reader of the FIFO.
    expect((await storeError(threads.appendMessage(message('real', 'hello')))).message).toMatch(/not a regular file/);
  });

  it('a link that stays inside .jan is followed like a folder', async () => {
    const { jan, threads } = setup();
    symlinkSync(path.join(jan, 'threads', 'real'), path.join(jan, 'threads', 'alias'), 'dir');
    await threads.appendMessage(message('alias', 'through an inside link'));
    expect((await threads.listMessages('real')).messages).toHaveLength(2);
  });
});
