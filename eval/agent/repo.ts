/**
 * The eval's fixture repository (eval/agent/fixture/) and what the checks do with a copy of it:
 * read files, and run code of the copy in a child process with a timeout (what the model wrote
 * is never loaded into the eval's own process).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECK_TIMEOUT_MS = 30_000;

/** eval/agent/fixture, found from this file or from its bundled copy under out/. */
export function fixtureFolder(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'eval', 'agent', 'fixture');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('eval/agent/fixture was not found above this file.');
  }
}

/** A fresh copy of the fixture at `target` (emptied first), committed to git so `git diff` shows the agent's changes. */
export async function freshCopy(target: string): Promise<void> {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(fixtureFolder(), target, { recursive: true });
  const git = (...args: string[]) =>
    run(target, 'git', ['-c', 'user.email=eval@example.invalid', '-c', 'user.name=eval', ...args]);
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['commit', '-qm', 'fixture'],
  ]) {
    const result = await git(...args);
    if (result.code !== 0) throw new Error(`git ${args[0]} failed in ${target}: ${result.output}`);
  }
}

export const read = (repo: string, relative: string): string => {
  const file = path.join(repo, relative);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

export const write = (repo: string, relative: string, text: string): void => {
  mkdirSync(path.dirname(path.join(repo, relative)), { recursive: true });
  writeFileSync(path.join(repo, relative), text);
};

export interface RunResult {
  code: number | null;
  output: string;
}

export function run(cwd: string, command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: CHECK_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs an ES module snippet in the copy (`cwd`), returning what it printed as JSON, or the error. */
export async function evaluate<T>(repo: string, script: string): Promise<{ value?: T; error?: string }> {
  const result = await run(repo, process.execPath, ['--input-type=module', '-e', script]);
  if (result.code !== 0) return { error: result.output.trim().split('\n').slice(-3).join(' ') };
  try {
    return { value: JSON.parse(result.output.trim().split('\n').pop() ?? '') as T };
  } catch {
    return { error: `printed ${JSON.stringify(result.output.slice(0, 200))}` };
  }
}

/** `node --test` in the copy: how many tests passed and failed. */
export async function testCounts(
  repo: string,
  file?: string,
): Promise<{ pass: number; fail: number; code: number | null }> {
  const result = await run(repo, process.execPath, ['--test', ...(file ? [file] : [])]);
  const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)`, 'm').exec(result.output)?.[1] ?? 0);
  return { pass: count('pass'), fail: count('fail'), code: result.code };
}
