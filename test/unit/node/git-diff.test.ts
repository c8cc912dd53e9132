import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workingChanges } from '../../../src/node/git-diff';

/** The `@` Git diff attachment against real git in temp folders. */
let root: string;
const git = (folder: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: folder, stdio: 'pipe' });

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-git-diff-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the working changes of a folder', () => {
  it('says in words that a folder outside any repository has no diff (never git raw output)', async () => {
    const plain = path.join(root, 'plain');
    mkdirSync(plain);
    // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp folder.
    process.env.GIT_CEILING_DIRECTORIES = root;
    try {
      await expect(workingChanges(plain)).rejects.toThrow(
        'The folder plain is not in a Git repository, so there is no diff to attach.',
      );
    } finally {
      delete process.env.GIT_CEILING_DIRECTORIES;
    }
  });

  it('diffs against HEAD, says when there is nothing to attach, and lists tracked files before the first commit', async () => {
    git(root, 'init', '-q');
    writeFileSync(path.join(root, 'a.ts'), 'export const a = 1;\n');
    await expect(workingChanges(root)).rejects.toThrow(/^There are no working changes to attach/);
    git(root, 'add', 'a.ts');
    expect(await workingChanges(root)).toContain('+export const a = 1;');
    git(root, 'commit', '-q', '-m', 'first');
    await expect(workingChanges(root)).rejects.toThrow(/^There are no working changes/);
    writeFileSync(path.join(root, 'a.ts'), 'export const a = 2;\n');
    const diff = await workingChanges(root);
    expect(diff).toContain('-export const a = 1;');
    expect(diff).toContain('+export const a = 2;');
  });

  it('says so when git is not installed', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(root, 'no-bin');
    try {
      await expect(workingChanges(root)).rejects.toThrow(/^Git is not installed/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
