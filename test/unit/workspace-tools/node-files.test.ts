import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeWorkspaceFiles, WorkspaceFileError } from '../../../extensions/workspace-tools';
import { verifyPlaced } from '../../../extensions/workspace-tools/node-files';
import { openWorkspace } from '../../../extensions/workspace-tools/workspace-path';
import { rejection } from '../../support/rejection';

let sandbox: string;
let root: string;
let outside: string;
const files = new NodeWorkspaceFiles();

function write(relative: string, content: string | Buffer): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

async function refused(promise: Promise<unknown>, problem: string): Promise<string> {
  const error = await rejection(promise, WorkspaceFileError);
  expect(error.problem).toBe(problem);
  return error.message;
}

beforeEach(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'jan-files-'));
  root = path.join(sandbox, 'repo');
  outside = path.join(sandbox, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
});

afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

describe('reading workspace files', () => {
  it('reads by relative or absolute path inside, and gives a version', async () => {
    write('src/a.ts', 'const a = 1;\n');
    const byRelative = await files.read(root, 'src/a.ts');
    const byAbsolute = await files.read(root, path.join(root, 'src', 'a.ts'));
    expect(byRelative).toEqual({ path: 'src/a.ts', text: 'const a = 1;\n', version: byAbsolute.version });
    expect(byRelative.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses paths that leave the workspace by text: .., absolute elsewhere, NUL', async () => {
    expect(await refused(files.read(root, '../outside/secret.txt'), 'outside')).toContain('outside the workspace');
    await refused(files.read(root, path.join(outside, 'secret.txt')), 'outside');
    await refused(files.read(root, 'a\0b'), 'outside');
  });

  it('refuses a link to a file or a folder outside, naming the link, and a dangling link', async () => {
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'));
    symlinkSync(outside, path.join(root, 'docs'));
    symlinkSync(path.join(outside, 'gone.txt'), path.join(root, 'dangling.txt'));
    const message = await refused(files.read(root, 'secret-link.txt'), 'link-out');
    expect(message).toContain(`secret-link.txt is a symbolic link to ${path.join(outside, 'secret.txt')}`);
    expect(await refused(files.read(root, 'docs/secret.txt'), 'link-out')).toContain('docs is a symbolic link');
    await refused(files.read(root, 'dangling.txt'), 'link-out');
  });

  it('follows a link that stays inside, and reports the real file', async () => {
    write('real/config.json', '{}');
    symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
    expect((await files.read(root, 'alias/config.json')).path).toBe('real/config.json');
  });

  it('works when the workspace folder itself is reached through a link', async () => {
    write('a.txt', 'a');
    const linkedRoot = path.join(sandbox, 'linked-root');
    symlinkSync(root, linkedRoot);
    expect((await files.read(linkedRoot, 'a.txt')).text).toBe('a');
    expect((await files.read(linkedRoot, path.join(linkedRoot, 'a.txt'))).text).toBe('a');
  });

  it('refuses a FIFO without blocking on it, a folder, and a binary file', async () => {
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    expect(await refused(files.read(root, 'pipe'), 'not-a-file')).toContain('FIFO');
    mkdirSync(path.join(root, 'folder'));
    await refused(files.read(root, 'folder'), 'not-a-file');
    write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    expect(await refused(files.read(root, 'image.png'), 'binary')).toContain('binary file');
  });

  it('reads a range of lines of a 50 MB file without reading it whole, and refuses reading it whole', async () => {
    const line = 'x'.repeat(99) + '\n';
    write('big.log', Buffer.alloc(50 * 1024 * 1024, line));
    await refused(files.read(root, 'big.log'), 'too-large');
    const range = await files.readLines(root, 'big.log', 3, 5, 32 * 1024);
    expect(range).toMatchObject({ path: 'big.log', first: 3, more: true, cut: false });
    expect(range.total).toBeUndefined();
    expect(range.lines).toEqual([line.trim(), line.trim(), line.trim()]);
  });

  it('counts lines, strips \\r and a BOM, and cuts at the byte budget', async () => {
    write('crlf.txt', '\uFEFFone\r\ntwo\r\nthree\r\n');
    expect(await files.readLines(root, 'crlf.txt', 1, 10, 1024)).toMatchObject({
      lines: ['one', 'two', 'three'],
      total: 3,
      more: false,
      cut: false,
    });
    expect(await files.readLines(root, 'crlf.txt', 1, 10, 6)).toMatchObject({ lines: ['one'], more: true, cut: true });
    write('minified.js', 'y'.repeat(100_000));
    const cut = await files.readLines(root, 'minified.js', 1, 1, 1000);
    expect(cut.lines[0]).toHaveLength(1000);
    expect(cut.cut).toBe(true);
  });
});

describe('writing workspace files', () => {
  it('replaces a file atomically when it still has the version the text was made from, keeping its mode', async () => {
    const file = write('run.sh', '#!/bin/sh\necho a\n');
    chmodSync(file, 0o755);
    const snapshot = await files.read(root, 'run.sh');
    expect(await files.write(root, { path: 'run.sh', text: '#!/bin/sh\necho b\n', base: snapshot.version })).toEqual({
      path: 'run.sh',
    });
    expect(readFileSync(file, 'utf8')).toBe('#!/bin/sh\necho b\n');
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect(readdirSync(root)).toEqual(['run.sh']);
  });

  it('reports a conflict and writes nothing when the file changed after it was read (the user typed)', async () => {
    const file = write('notes.md', 'draft\n');
    const snapshot = await files.read(root, 'notes.md');
    writeFileSync(file, 'draft\nthe user typed this\n');
    const message = await refused(
      files.write(root, { path: 'notes.md', text: 'agent\n', base: snapshot.version }),
      'conflict',
    );
    expect(message).toContain('changed since it was read');
    expect(readFileSync(file, 'utf8')).toBe('draft\nthe user typed this\n');
    expect(readdirSync(root)).toEqual(['notes.md']);
  });

  it('keeps a byte order mark the file had', async () => {
    const file = write('bom.txt', '\uFEFFold\n');
    const snapshot = await files.read(root, 'bom.txt');
    expect(snapshot.text).toBe('old\n');
    await files.write(root, { path: 'bom.txt', text: 'new\n', base: snapshot.version });
    expect(readFileSync(file)).toEqual(Buffer.from('\uFEFFnew\n', 'utf8'));
  });

  it('writes through a link inside the workspace to its target, leaving the link', async () => {
    write('real.txt', 'one\n');
    symlinkSync(path.join(root, 'real.txt'), path.join(root, 'alias.txt'));
    const snapshot = await files.read(root, 'alias.txt');
    expect(await files.write(root, { path: 'alias.txt', text: 'two\n', base: snapshot.version })).toEqual({
      path: 'alias.txt',
    });
    expect(readFileSync(path.join(root, 'real.txt'), 'utf8')).toBe('two\n');
    expect(statSync(path.join(root, 'alias.txt')).isFile()).toBe(true);
  });

  it('never changes a file outside through a hard link: the workspace name gets new bytes, the other keeps its own', async () => {
    linkSync(path.join(outside, 'secret.txt'), path.join(root, 'hard.txt'));
    const snapshot = await files.read(root, 'hard.txt');
    await files.write(root, { path: 'hard.txt', text: 'changed\n', base: snapshot.version });
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret\n');
    expect(readFileSync(path.join(root, 'hard.txt'), 'utf8')).toBe('changed\n');
  });

  it('creates a new file with its folders, and refuses one that exists', async () => {
    expect(await files.write(root, { path: 'src/new/mod.ts', text: 'export {};\n', base: null })).toEqual({
      path: 'src/new/mod.ts',
    });
    expect(readFileSync(path.join(root, 'src/new/mod.ts'), 'utf8')).toBe('export {};\n');
    await refused(files.write(root, { path: 'src/new/mod.ts', text: 'x', base: null }), 'exists');
    expect(readFileSync(path.join(root, 'src/new/mod.ts'), 'utf8')).toBe('export {};\n');
  });

  it('refuses to create through a folder link that leads out, or outside by text, and leaves nothing behind', async () => {
    symlinkSync(outside, path.join(root, 'out'));
    await refused(files.write(root, { path: 'out/planted.sh', text: 'x', base: null }), 'link-out');
    await refused(files.write(root, { path: '../planted.sh', text: 'x', base: null }), 'outside');
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(existsSync(path.join(sandbox, 'planted.sh'))).toBe(false);
  });

  it('refuses to replace through a file link that leads out', async () => {
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret.txt'));
    await refused(files.write(root, { path: 'secret.txt', text: 'x', base: 'sha256:any' }), 'link-out');
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret\n');
  });

  it('checks where a write landed through its open file: a folder swapped for a link out meanwhile is reported, and the name made outside removed', async () => {
    // What a swap between the checks and the link leaves: this call's file under a name outside.
    const landed = path.join(outside, 'planted.txt');
    writeFileSync(landed, 'agent text');
    symlinkSync(outside, path.join(root, 'out'));
    const handle = await open(landed, 'r');
    try {
      const workspace = await openWorkspace(root);
      const created = path.join(root, 'out', 'planted.txt');
      await refused(verifyPlaced(workspace, 'out/planted.txt', handle, { created }), 'link-out');
      expect(existsSync(landed)).toBe(false);
      // A name outside that is not this call's file is never removed.
      writeFileSync(landed, 'someone else');
      await refused(verifyPlaced(workspace, 'out/planted.txt', handle, { created }), 'link-out');
      expect(readFileSync(landed, 'utf8')).toBe('someone else');
    } finally {
      await handle.close();
    }
  });
});
