import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The built `jan-vscode` bin (dist/cli.js, as esbuild.mjs builds it), run as a user runs it. */
export const projectRoot = path.resolve(__dirname, '../../../..');
export const bin = path.join(projectRoot, 'dist', 'cli.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Builds dist/ once per test file. */
export function buildCli(): void {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: projectRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`The build failed: ${build.stderr}`);
}

/** A fresh folder with `.jan` and `models` inside, and the flags that point the CLI at them with small, fast engine settings. */
export function cliFolders(prefix: string) {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const data = path.join(root, '.jan');
  const models = path.join(root, 'models');
  return {
    root,
    data,
    models,
    common: () => ['--data', data, '--models', models, '--threads', '1', '--gpu', 'off'],
  };
}

/** Runs the bin to the end; `input` is its stdin (closed at once when absent). */
export function run(cwd: string, args: string[], options: { env?: Record<string, string>; input?: string } = {}): Run {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
    timeout: 180_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The bin running in the background, with its output so far and its exit. */
export function start(cwd: string, args: string[], env: Record<string, string> = {}) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, ...env },
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output, exited };
}
