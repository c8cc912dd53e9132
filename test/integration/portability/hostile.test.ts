import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createGzip } from 'node:zlib';
import { Header, create } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JanCore, MemoryLogger } from '@jan/core';
import { JanConversationalExtension } from '../../../extensions/conversational';
import { exportThread, importJanData } from '../../../src/node/portability';
import { snapshot } from '../../unit/store/support/store-setup';

let root: string;
let jan: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-hostile-'));
  jan = path.join(root, 'workspace', '.jan');
  mkdirSync(path.join(root, 'workspace'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const threads = () =>
  new JanConversationalExtension(
    new JanCore({ janFolder: jan, modelsFolder: path.join(root, 'models'), logger: new MemoryLogger() }).context,
  );

const THREAD = (id: string, extra = '') =>
  `{"id":"${id}","object":"thread","title":"${id}","assistants":[],"created":1,"updated":1${extra}}`;
const LINE = (id: string, thread: string) =>
  `{"id":"${id}","object":"thread.message","thread_id":"${thread}","role":"user","status":"ready","created":1,"updated":1,"content":"hi"}`;

/** A Jan data folder with the given threads (id → thread.json and messages.jsonl bytes). */
function dataFolder(name: string, items: Record<string, { thread: string | Buffer; lines?: string | Buffer }>): string {
  const folder = path.join(root, name);
  for (const [id, { thread, lines }] of Object.entries(items)) {
    mkdirSync(path.join(folder, 'threads', id), { recursive: true });
    writeFileSync(path.join(folder, 'threads', id, 'thread.json'), thread);
    if (lines !== undefined) writeFileSync(path.join(folder, 'threads', id, 'messages.jsonl'), lines);
  }
  return folder;
}

/**
 * A gzipped tar of file entries of `size` zero bytes each (streamed: nothing that size is ever in
 * memory); `noisy` puts a little incompressible data in every MiB, so it inflates about 250 times
 * rather than 1000.
 */
async function zeroBomb(file: string, entries: Array<{ path: string; size: number }>, noisy = false): Promise<void> {
  const gzip = createGzip({ level: 9 });
  const out = createWriteStream(file);
  gzip.pipe(out);
  const zeros = Buffer.alloc(1 << 20);
  if (noisy) randomFillSync(zeros, 0, 4096);
  const write = async (chunk: Buffer) => {
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  };
  for (const entry of entries) {
    const header = new Header({ path: entry.path, type: 'File', size: entry.size, mode: 0o644, mtime: new Date(0) });
    header.encode();
    await write(header.block!);
    for (let left = entry.size; left > 0; left -= zeros.length)
      await write(zeros.subarray(0, Math.min(left, zeros.length)));
    const padding = (512 - (entry.size % 512)) % 512;
    if (padding) await write(Buffer.alloc(padding));
  }
  await write(Buffer.alloc(1024));
  gzip.end();
  await once(out, 'close');
}

describe('archives that unpack to more than they should', () => {
  it('a ~1 MB archive holding a 1 GiB entry is refused at its header: nothing written, memory bounded', async () => {
    const archive = path.join(root, 'bomb.tar.gz');
    await zeroBomb(archive, [{ path: 'threads/bomb/messages.jsonl', size: 1 << 30 }]);
    const peakBefore = process.resourceUsage().maxRSS;
    await expect(importJanData(archive, jan)).rejects.toThrow(/threads\/bomb\/messages\.jsonl.*1\.0 GB.*more than/);
    // maxRSS is in KiB: the import may not have cost more than 256 MiB at any moment.
    expect(process.resourceUsage().maxRSS - peakBefore).toBeLessThan(256 * 1024);
    expect(existsSync(path.join(jan, 'threads'))).toBe(false);
  }, 120_000);

  it('entries that add up past the archive size times the ratio are refused before the one that would pass it', async () => {
    const archive = path.join(root, 'many.tar.gz');
    const entries = Array.from({ length: 12 }, (_, i) => ({ path: `threads/t${i}/messages.jsonl`, size: 8 << 20 }));
    await zeroBomb(archive, entries, true);
    await expect(importJanData(archive, jan)).rejects.toThrow(/unpacks to more than 64\.0 MB/);
    // Pure zeros inflate past the tar library's own guard first: refused too, in words.
    await zeroBomb(archive, entries);
    await expect(importJanData(archive, jan)).rejects.toThrow(/inflates to more than 1000 times its own size/);
    expect(existsSync(path.join(jan, 'threads'))).toBe(false);
  }, 120_000);

  it('an archive that needs more than the free space is refused, saying how much is free', async () => {
    const source = dataFolder('desktop', {
      t1: { thread: THREAD('t1'), lines: `${LINE('m', 't1')}\n`.repeat(20_000) },
    });
    const archive = path.join(root, 'fits-not.tar.gz');
    await create({ gzip: true, file: archive, cwd: source }, ['threads']);
    await expect(importJanData(archive, jan, { freeSpace: async () => 65 * 1024 * 1024 })).rejects.toThrow(
      /only 65\.0 MB is free/,
    );
  });
});

describe('archives with links, devices and escapes', () => {
  it('a symbolic or hard link entry is refused, and nothing is written anywhere', async () => {
    const outside = path.join(root, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
    const source = dataFolder('desktop', { t1: { thread: THREAD('t1'), lines: `${LINE('m', 't1')}\n` } });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(source, 'threads', 't1', 'notes.md'));
    symlinkSync(outside, path.join(source, 'threads', 't2'), 'dir');
    const archive = path.join(root, 'links.tar.gz');
    await create({ gzip: true, file: archive, cwd: source }, ['threads']);
    const before = snapshot(outside);
    await expect(importJanData(archive, jan)).rejects.toThrow(/symbolic link/);
    expect(existsSync(path.join(jan, 'threads'))).toBe(false);
    expect(snapshot(outside)).toEqual(before);
  });

  it('never writes through .jan/threads when it is a link to a folder outside', async () => {
    const outside = path.join(root, 'outside');
    mkdirSync(outside);
    mkdirSync(jan);
    symlinkSync(outside, path.join(jan, 'threads'), 'dir');
    const source = dataFolder('desktop', { t1: { thread: THREAD('t1'), lines: `${LINE('m', 't1')}\n` } });
    const archive = path.join(root, 'plain.tar.gz');
    await create({ gzip: true, file: archive, cwd: source }, ['threads']);
    await expect(importJanData(archive, jan)).rejects.toThrow(/outside the data folder/);
    await expect(importJanData(source, jan)).rejects.toThrow(/outside the data folder/);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('import renames and re-imports', () => {
  const BIG = '12345678901234567891';
  const BAD = Buffer.from([0xff, 0xfe]);

  it('three imports of an archive whose ids clash leave one copy, not three', async () => {
    await threads().createThread({ id: 't1', title: 'mine', assistants: [] });
    const source = dataFolder('desktop', { t1: { thread: THREAD('t1'), lines: `${LINE('m', 't1')}\n` } });
    const archive = path.join(root, 'clash.tar.gz');
    await create({ gzip: true, file: archive, cwd: source }, ['threads']);
    const reports = [];
    for (let i = 0; i < 3; i++) reports.push(await importJanData(archive, jan));
    expect(reports[0]!.threads.imported).toEqual([{ from: 't1', to: 't1-2' }]);
    for (const report of reports.slice(1)) {
      expect(report.threads.imported).toEqual([]);
      expect(report.threads.skipped).toEqual([{ id: 't1', reason: 'already here, unchanged' }]);
    }
    expect((await threads().listThreads()).threads.map((thread) => thread.id).sort()).toEqual(['t1', 't1-2']);
  });

  it('a renamed thread keeps every byte it did not change: big integers, invalid UTF-8, unknown fields', async () => {
    await threads().createThread({ id: 't1', title: 'mine', assistants: [] });
    const line = Buffer.concat([
      Buffer.from(
        `{"id":"m","object":"thread.message","thread_id":"t1","role":"user","content":"hi","n":${BIG},"raw":"`,
      ),
      BAD,
      Buffer.from('"}'),
    ]);
    const source = dataFolder('desktop', {
      t1: {
        thread: Buffer.concat([
          Buffer.from(THREAD('t1', `,"counter":${BIG},"raw":"`).slice(0, -1)),
          BAD,
          Buffer.from('"}'),
        ]),
        lines: Buffer.concat([line, Buffer.from('\nnot json\n')]),
      },
    });
    const report = await importJanData(source, jan);
    expect(report.threads.imported).toEqual([{ from: 't1', to: 't1-2' }]);
    const thread = readFileSync(path.join(jan, 'threads', 't1-2', 'thread.json'));
    expect(thread.toString('latin1')).toContain(`"counter": ${BIG}`);
    expect(thread.includes(BAD)).toBe(true);
    expect(JSON.parse(thread.toString('utf8'))).toMatchObject({ id: 't1-2' });
    const lines = readFileSync(path.join(jan, 'threads', 't1-2', 'messages.jsonl'));
    expect(lines.toString('latin1')).toContain(`"n":${BIG}`);
    expect(lines.includes(BAD)).toBe(true);
    expect(lines.toString('utf8')).toContain('"thread_id":"t1-2"');
    expect(lines.toString('utf8')).toContain('\nnot json\n');
  });

  it('an id Windows cannot hold is renamed to one it can (lpt1. → lpt1_), and a case twin gets its own name', async () => {
    await threads().createThread({ id: 'abc', title: 'mine', assistants: [] });
    const source = dataFolder('desktop', {
      'lpt1.': { thread: THREAD('lpt1.'), lines: `${LINE('m', 'lpt1.')}\n` },
      ABC: { thread: THREAD('ABC') },
    });
    const report = await importJanData(source, jan);
    expect(report.threads.imported.sort((a, b) => a.from.localeCompare(b.from))).toEqual([
      { from: 'ABC', to: 'ABC-2' },
      { from: 'lpt1.', to: 'lpt1_' },
    ]);
    const listed = await threads().listThreads();
    expect(listed.warnings).toEqual([]);
    expect(listed.threads.map((thread) => thread.id).sort()).toEqual(['ABC-2', 'abc', 'lpt1_']);
  });
});

describe('exports of hostile threads', () => {
  it('a Jan JSON export copies regular files only: a link in the thread folder is left out and named', async () => {
    const store = threads();
    await store.createThread({ id: 't1', title: 'x', assistants: [] });
    symlinkSync('/etc/hostname', path.join(jan, 'threads', 't1', 'notes.md'));
    const out = path.join(root, 'out');
    const result = await exportThread({ janFolder: jan, conversational: store }, 't1', 'json', out);
    expect(readdirSync(path.join(out, 't1')).sort()).toEqual(['thread.json']);
    expect(result.notIncluded).toEqual([expect.stringContaining('notes.md')]);
  });

  it('messages.jsonl as a FIFO or a link to /dev/zero never hangs the Markdown export', async () => {
    const store = threads();
    await store.createThread({ id: 'fifo', title: 'x', assistants: [] });
    await store.createThread({ id: 'zero', title: 'y', assistants: [] });
    execFileSync('mkfifo', [path.join(jan, 'threads', 'fifo', 'messages.jsonl')]);
    symlinkSync('/dev/zero', path.join(jan, 'threads', 'zero', 'messages.jsonl'));
    await expect(exportThread({ janFolder: jan, conversational: store }, 'fifo', 'md')).rejects.toThrow(
      /not a regular file/,
    );
    const zero = await exportThread({ janFolder: jan, conversational: store }, 'zero', 'md');
    expect(zero.markdown).toContain('# y');
    expect(zero.notIncluded).toEqual([expect.stringContaining('messages.jsonl')]);
  });
});
