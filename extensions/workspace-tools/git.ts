/**
 * `git diff` for the agent, a reading tool that runs without asking, so a repository's own git
 * config must not run anything: no external diff or textconv drivers, no fsmonitor hook, and
 * every clean/smudge/process filter the config names turned off for the call (an empty command
 * is no filter). Output capped; untracked files listed by name.
 */
import { spawn } from 'node:child_process';
import { OutputCap } from './output-cap';

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

interface GitRun {
  stdout: string;
  stderr: string;
  code: number | null;
  bytes: number;
}

const SAFE_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };

function git(cwd: string, args: string[], maxBytes: number, signal?: AbortSignal): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'git',
      ['--literal-pathspecs', '-c', 'core.fsmonitor=false', '-c', 'core.quotepath=false', ...args],
      {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...SAFE_ENV },
        windowsHide: true,
        signal,
      },
    );
    const out = new OutputCap(maxBytes);
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new GitError('git is not installed (not found on PATH).') : error),
    );
    child.once('close', (code) => resolve({ stdout: out.text(), stderr, code, bytes: out.total }));
  });
}

/** `-c filter.<name>.clean= …` for each filter driver the repository's config defines. */
async function filtersOff(cwd: string, signal?: AbortSignal): Promise<string[]> {
  const listed = await git(cwd, ['config', '--get-regexp', '^filter\\.'], 64 * 1024, signal);
  const names = new Set<string>();
  for (const line of listed.stdout.split('\n')) {
    const key = line.split(' ')[0] ?? '';
    const match = /^filter\.(.+)\.[^.]+$/.exec(key);
    if (match) names.add(match[1]);
  }
  return [...names].flatMap((name) =>
    ['clean', 'smudge', 'process'].flatMap((part) => ['-c', `filter.${name}.${part}=`]),
  );
}

/** A revision as the model may name one: no option, no spaces. */
const REF = /^[A-Za-z0-9_./~^@{}-]{1,200}$/;

export interface DiffRequest {
  /** Workspace-relative file or folder. */
  path?: string;
  staged?: boolean;
  ref?: string;
  maxBytes: number;
}

export async function gitDiff(
  cwd: string,
  request: DiffRequest,
  signal?: AbortSignal,
): Promise<{ text: string; files: number }> {
  if (request.ref !== undefined && (!REF.test(request.ref) || request.ref.startsWith('-')))
    throw new GitError(`${JSON.stringify(request.ref)} is not a git revision.`);
  const inside = await git(cwd, ['rev-parse', '--is-inside-work-tree'], 1024, signal);
  if (inside.code !== 0 || inside.stdout.trim() !== 'true')
    throw new GitError('The workspace is not a git repository, so there is no diff.');
  const filters = await filtersOff(cwd, signal);
  const pathArgs = request.path ? ['--', request.path] : [];
  const diff = await git(
    cwd,
    [
      ...filters,
      'diff',
      '--no-ext-diff',
      '--no-textconv',
      '--no-color',
      ...(request.staged ? ['--cached'] : []),
      ...(request.ref ? [request.ref] : []),
      ...pathArgs,
    ],
    request.maxBytes,
    signal,
  );
  if (diff.code !== 0) throw new GitError(`git diff failed: ${diff.stderr.trim() || `exit code ${diff.code}`}`);
  const untracked = request.staged
    ? undefined
    : await git(cwd, [...filters, 'ls-files', '--others', '--exclude-standard', ...pathArgs], 16 * 1024, signal);
  const newFiles = untracked?.stdout.split('\n').filter(Boolean) ?? [];
  const files = (diff.stdout.match(/^diff --git /gm) ?? []).length;
  const parts = [diff.stdout.trimEnd()];
  if (newFiles.length > 0) parts.push(`Untracked files (not in the diff):\n${newFiles.join('\n')}`);
  return { text: parts.filter(Boolean).join('\n\n') || 'No changes.', files: files + newFiles.length };
}
