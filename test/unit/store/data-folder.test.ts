import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFolder, GITIGNORE_CONTENT, MemoryLogger, StoreError, assertSafeId, parseJsonLines } from '@jan/core';
import { removeTempWorkspaces, storeError, tempWorkspace } from './support/store-setup';
import { seededRandom } from '../../support/seeded-random';

afterEach(removeTempWorkspaces);

function folder(options: ConstructorParameters<typeof DataFolder>[1] = {}) {
  const { root, jan } = tempWorkspace();
  return { root, jan, store: new DataFolder(jan, options) };
}

describe('DataFolder: first write and .gitignore', () => {
  it('creates nothing on read, then the folder and a .gitignore keeping threads/ out of git on the first write', async () => {
    const { jan, store } = folder();
    expect(await store.listFolders(store.path('threads'))).toEqual({ names: [], warnings: [] });
    expect(await store.readJson(store.path('x.json'))).toEqual({ status: 'missing' });
    expect(existsSync(jan)).toBe(false);

    await store.write(store.path('settings.json'), (writer) => writer.writeJson(store.path('settings.json'), { a: 1 }));
    expect(readFileSync(path.join(jan, '.gitignore'), 'utf8')).toBe(GITIGNORE_CONTENT);
    expect(GITIGNORE_CONTENT.split('\n')).toContain('threads/');
  });

  it('leaves .gitignore out when threads are committed, and never replaces the user one', async () => {
    const kept = folder({ commitToGit: true });
    await kept.store.write(kept.store.path('a.json'), (writer) => writer.writeJson(kept.store.path('a.json'), {}));
    expect(existsSync(path.join(kept.jan, '.gitignore'))).toBe(false);

    const own = folder();
    mkdirSync(own.jan);
    writeFileSync(path.join(own.jan, '.gitignore'), 'my rules\n');
    await own.store.write(own.store.path('a.json'), (writer) => writer.writeJson(own.store.path('a.json'), {}));
    expect(readFileSync(path.join(own.jan, '.gitignore'), 'utf8')).toBe('my rules\n');
  });
});

describe('DataFolder: atomic rewrite and exclusive create', () => {
  it('replaces a file with pretty JSON and leaves no temp file', async () => {
    const { jan, store } = folder();
    const file = store.path('thread.json');
    for (let i = 0; i < 5; i++) await store.write(file, (writer) => writer.writeJson(file, { i }));
    expect(readFileSync(file, 'utf8')).toBe('{\n  "i": 4\n}\n');
    expect(readdirSync(jan).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('createJson refuses to replace an existing file', async () => {
    const { store } = folder();
    const file = store.path('a.json');
    await store.write(file, (writer) => writer.createJson(file, { first: true }));
    const error = await storeError(store.write(file, (writer) => writer.createJson(file, { second: true })));
    expect(error.code).toBe('ALREADY_EXISTS');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ first: true });
  });
});

describe('DataFolder: JSON lines', () => {
  it('appends one line per call and starts a fresh line after a torn tail', async () => {
    const { store } = folder();
    const file = store.path('messages.jsonl');
    await store.write(file, (writer) => writer.appendJsonLine(file, { n: 1 }));
    writeFileSync(file, '{"n":1}\n{"n":2,"text":"cut in the mid', { flag: 'w' });
    await store.write(file, (writer) => writer.appendJsonLine(file, { n: 3, text: 'line\nbreak' }));
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2,"text":"cut in the mid\n{"n":3,"text":"line\\nbreak"}\n');
    const { lines } = await store.readJsonLines(file);
    expect(lines.map((line) => line.value ?? 'bad')).toEqual([{ n: 1 }, 'bad', { n: 3, text: 'line\nbreak' }]);
  });

  it('parses each line on its own: garbage, a torn last line, CRLF, blank lines, a BOM; raw bytes kept', () => {
    const invalidUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const bytes = Buffer.concat([
      Buffer.from('\uFEFF{"a":1}\r\n\n   \nnot json\n'),
      invalidUtf8,
      Buffer.from('\n{"b":2}\n{"c":'),
    ]);
    const lines = parseJsonLines(bytes);
    expect(lines.map((line) => line.line)).toEqual([1, 4, 5, 6, 7]);
    expect(lines[0]!.value).toEqual({ a: 1 });
    expect(lines[1]!.error).toMatch(/not valid JSON/);
    expect(lines[2]!.raw.equals(invalidUtf8)).toBe(true);
    expect(lines[3]!.value).toEqual({ b: 2 });
    expect(lines[4]!.error).toMatch(/incomplete last line/);
    expect(lines[4]!.raw.toString()).toBe('{"c":');
  });

  it('rewrites lines with untouched ones byte for byte', async () => {
    const { store } = folder();
    const file = store.path('m.jsonl');
    const original = Buffer.concat([Buffer.from('{"keep": 1 }\n'), Buffer.from([0x80, 0x81]), Buffer.from('\n')]);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, original);
    const { lines } = await store.readJsonLines(file);
    await store.write(file, (writer) => writer.rewriteLines(file, [...lines.map((line) => line.raw), '{"new":true}']));
    expect(readFileSync(file).equals(Buffer.concat([original, Buffer.from('{"new":true}\n')]))).toBe(true);
  });
});

describe('DataFolder: reading never rewrites', () => {
  it('reports an invalid or empty JSON file and leaves it as it is', async () => {
    const { jan, store } = folder();
    mkdirSync(jan);
    writeFileSync(path.join(jan, 'bad.json'), '{"title": "half');
    writeFileSync(path.join(jan, 'empty.json'), '');
    const bad = await store.readJson(store.path('bad.json'));
    expect(bad.status).toBe('invalid');
    expect(bad.status === 'invalid' && bad.error).toMatch(/not valid JSON/);
    expect(await store.readJson(store.path('empty.json'))).toEqual({ status: 'invalid', error: 'the file is empty' });
    expect(readFileSync(path.join(jan, 'bad.json'), 'utf8')).toBe('{"title": "half');
  });
});

describe('DataFolder: bad paths', () => {
  it('rejects ids and segments that would leave the folder', async () => {
    const { store } = folder();
    expect(() => store.path('threads', '..', 'x')).toThrow(StoreError);
    expect(() => store.path('threads/../../etc')).toThrow(/Invalid path segment/);
    for (const id of ['../x', 'a/b', '', '.hidden', 'x.lock', 'a\\b'])
      expect(() => assertSafeId(id, 'Thread')).toThrow(/not a valid folder name/);
    expect(assertSafeId('jan_1716200000', 'Thread')).toBe('jan_1716200000');
    const outside = path.join(store.root, '..', 'outside.json');
    expect((await storeError(store.write(outside, async () => undefined))).code).toBe('INVALID_ID');
  });

  it('says clearly when the data folder sits under a regular file', async () => {
    const { root } = tempWorkspace();
    writeFileSync(path.join(root, 'workspace-file'), 'not a folder');
    const store = new DataFolder(path.join(root, 'workspace-file', '.jan'));
    const file = store.path('a.json');
    const error = await storeError(store.write(file, (writer) => writer.writeJson(file, {})));
    expect(error.code).toBe('NOT_A_FOLDER');
    expect(error.message).toMatch(/is a file, not a folder/);
    expect(readFileSync(path.join(root, 'workspace-file'), 'utf8')).toBe('not a folder');
  });
});

describe('DataFolder: serialized writes', () => {
  it('queues read-modify-write tasks on one path inside the process (two store objects, one folder)', async () => {
    const { jan } = tempWorkspace();
    const stores = [new DataFolder(jan), new DataFolder(jan)];
    const file = stores[0]!.path('counter.json');
    const random = seededRandom('serialized writes');
    const bump = (store: DataFolder) =>
      store.write(file, async (writer) => {
        const current = await store.readJson(file);
        const value = current.status === 'ok' ? (current.value as { n: number }).n : 0;
        // A yield of random length between read and write: unserialized tasks would interleave.
        for (let turns = Math.floor(random() * 4); turns > 0; turns--)
          await new Promise((resolve) => setImmediate(resolve));
        await writer.writeJson(file, { n: value + 1 });
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(stores[i % 2]!)));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ n: 40 });
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('releases the lock when the task throws', async () => {
    const { store } = folder();
    const file = store.path('a.json');
    await expect(store.write(file, async () => Promise.reject(new Error('task failed')))).rejects.toThrow(
      'task failed',
    );
    await store.write(file, (writer) => writer.writeJson(file, { ok: true }));
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock left by a dead process once it is stale', async () => {
    // No time to wait at all: a lock not seen as stale fails at once with LOCK_TIMEOUT.
    const { store } = folder({ lockStaleMs: 2_000, lockTimeoutMs: 0 });
    const file = store.path('a.json');
    await store.write(file, (writer) => writer.writeJson(file, { v: 1 }));
    mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    await store.write(file, (writer) => writer.writeJson(file, { v: 2 }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 2 });
  });

  it('times out with a clear error while another live process holds the lock', async () => {
    const logger = new MemoryLogger();
    const { store } = folder({ lockTimeoutMs: 300, logger });
    const file = store.path('a.json');
    await store.write(file, (writer) => writer.writeJson(file, { v: 1 }));
    const release = await lockfile.lock(file, { realpath: false, lockfilePath: `${file}.lock` });
    try {
      const error = await storeError(store.write(file, (writer) => writer.writeJson(file, { v: 2 })));
      expect(error.code).toBe('LOCK_TIMEOUT');
      expect(error.message).toMatch(/another process/);
    } finally {
      await release();
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 1 });
  });
});
