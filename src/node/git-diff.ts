import { execFile } from 'node:child_process';
import * as path from 'node:path';

/** Git's id of the empty tree: a repository without a commit yet compares its files with it. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

interface GitResult {
  stdout: string;
  stderr: string;
  code?: string | number;
}

function git(folder: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) =>
    execFile(
      'git',
      args,
      { cwd: folder, maxBuffer: 8 * 1024 * 1024, windowsHide: true, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error ? ((error as NodeJS.ErrnoException).code ?? 'failed') : undefined }),
    ),
  );
}

/**
 * The working changes of the repository `folder` is in (`git diff HEAD`; every tracked file
 * when there is no commit yet), for the `@` Git diff attachment. Every way it cannot be had is an
 * error that says so in words: no git, not a repository, no changes. Never git's raw output.
 */
export async function workingChanges(folder: string): Promise<string> {
  const inside = await git(folder, ['rev-parse', '--is-inside-work-tree']);
  if (inside.code === 'ENOENT')
    throw new Error('Git is not installed (or not on the PATH), so there is no diff to attach.');
  if (inside.code !== undefined || inside.stdout.trim() !== 'true') {
    if (/dubious ownership/i.test(inside.stderr))
      throw new Error(
        `Git does not trust the folder ${path.basename(folder)} (it belongs to another user); there is no diff to attach.`,
      );
    throw new Error(`The folder ${path.basename(folder)} is not in a Git repository, so there is no diff to attach.`);
  }
  const hasCommit = (await git(folder, ['rev-parse', '--verify', '--quiet', 'HEAD'])).code === undefined;
  const diff = await git(folder, ['diff', hasCommit ? 'HEAD' : EMPTY_TREE, '--no-color', '--no-ext-diff']);
  if (diff.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
    throw new Error('The working changes are larger than 8 MB; attach the files you want instead.');
  if (diff.code !== undefined) throw new Error(`Git could not list the working changes: ${firstLine(diff.stderr)}`);
  if (!diff.stdout.trim())
    throw new Error('There are no working changes to attach (new files count once they are added with git add).');
  return diff.stdout;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] || 'no reason given';
}
