import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORIES, STORIES_FIM, STORIES_SHA256 } from '../../support/test-models';
import { RangeServer } from '../models/support/range-server';

/** The built `jan-vscode` bin (dist/cli.js, as esbuild.mjs builds it), run as a user runs it. */
const projectRoot = path.resolve(__dirname, '../../..');
const bin = path.join(projectRoot, 'dist', 'cli.js');
let root: string;
let models: string;
let data: string;
let modelId: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The folders and the small, fast engine settings the test models need. */
const common = () => ['--data', data, '--models', models, '--threads', '1', '--gpu', 'off', '--context-size', '512'];

beforeAll(() => {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: projectRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`The build failed: ${build.stderr}`);
  root = mkdtempSync(path.join(tmpdir(), 'jan-cli-'));
  models = path.join(root, 'models');
  data = path.join(root, '.jan');
}, 120_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('jan-vscode (the built bin)', () => {
  it('has --help for every command', () => {
    for (const command of [
      [],
      ['serve'],
      ['chat'],
      ['models'],
      ['models', 'list'],
      ['models', 'import'],
      ['models', 'download'],
      ['threads'],
      ['threads', 'export'],
      ['import'],
      ['export'],
    ]) {
      const help = run([...command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: jan-vscode/);
    }
  });

  it('fails with one line on stderr and a non-zero code', () => {
    const missing = run(['threads', 'show', 'no-such-thread', ...common()]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^jan-vscode: Thread no-such-thread was not found/);
    const noModel = run(['chat', 'Hello', ...common()]);
    expect(noModel.status).toBe(1);
    expect(noModel.stderr).toMatch(/No model is installed/);
    expect(run(['serve', '--port', 'abc']).status).not.toBe(0);
  });

  it('never prints the password or token of a refused source', () => {
    for (const uri of ['ftp://user:SECRET-1@mirror.example/m.gguf', 'hf:user/repo/m.gguf?token=SECRET-2']) {
      const refused = run(['models', 'download', uri, ...common()]);
      expect(refused.status, uri).toBe(1);
      expect(refused.stderr, uri).toMatch(/^jan-vscode: .*(cannot be downloaded|not a valid hf: URI)/);
      expect(refused.stderr, uri).not.toContain('SECRET');
    }
  });

  it('imports a model and lists it', () => {
    const imported = run(['models', 'import', STORIES_FIM, ...common()]);
    expect(imported.status).toBe(0);
    modelId = imported.stdout.trim();
    expect(modelId).toMatch(/stories260K/i);
    const listed = run(['models', 'list', ...common()]);
    expect(listed.stdout).toContain(`${modelId}\tllamacpp\t`);
  });

  it('downloads a model from a URL with progress on stderr', async () => {
    const server = await RangeServer.start(readFileSync(STORIES));
    try {
      const result = await new Promise<Run>((resolve) => {
        const child = spawn(
          process.execPath,
          [bin, 'models', 'download', server.url('/stories260K.gguf'), '--sha256', STORIES_SHA256, ...common()],
          {
            cwd: root,
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      expect(result.status).toBe(0);
      expect(result.stderr).toMatch(/downloading .*MB/);
      expect(run(['models', 'list', ...common()]).stdout).toContain(result.stdout.trim());
    } finally {
      await server.close();
    }
  }, 120_000);

  it('chats: the reply on stdout, the exchange saved as a thread the other commands see', () => {
    const chat = run(['chat', 'Once upon a time', '--model', modelId, ...common()]);
    expect(chat.stderr).not.toMatch(/jan-vscode:/);
    expect(chat.status).toBe(0);
    expect(chat.stdout.trim().length).toBeGreaterThan(0);
    const threadId = /\[thread (\S+)\]/.exec(chat.stderr)![1]!;

    const listed = run(['threads', 'list', ...common()]);
    expect(listed.stdout).toContain(threadId);
    const shown = run(['threads', 'show', threadId, ...common()]);
    expect(shown.stdout).toContain('## User\n\nOnce upon a time');
    expect(shown.stdout).toContain(chat.stdout.trim());

    const out = path.join(root, 'exported');
    const json = run(['threads', 'export', threadId, '--format', 'json', '--out', out, ...common()]);
    expect(json.status).toBe(0);
    expect(
      readFileSync(path.join(out, threadId, 'messages.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2);
    expect(run(['threads', 'export', threadId, '--format', 'xml', ...common()]).status).not.toBe(0);

    const archive = path.join(root, 'all.tar.gz');
    expect(run(['export', archive, ...common()]).status).toBe(0);
    const other = path.join(root, 'other', '.jan');
    const imported = run(['import', archive, '--data', other]);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain(`imported thread ${threadId}`);
    expect(existsSync(path.join(other, 'threads', threadId, 'thread.json'))).toBe(true);
  }, 120_000);

  it('serves the API with the key from JAN_API_KEY until SIGTERM, and names the next free port when its port is taken', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...common()], {
      cwd: root,
      env: { ...process.env, JAN_API_KEY: 'cli-test-key' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await expect.poll(() => stdout, { timeout: 60_000 }).toMatch(/Jan API server: (\S+)\n/);
    const baseURL = /Jan API server: (\S+)\n/.exec(stdout)![1]!;
    expect(stdout).not.toContain('cli-test-key');
    const client = new OpenAI({ baseURL, apiKey: 'cli-test-key', maxRetries: 0 });
    expect((await client.models.list()).data.map((model) => model.id)).toContain(modelId);

    const port = Number(new URL(baseURL).port);
    const taken = run(['serve', '--port', String(port), ...common()]);
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(new RegExp(`^jan-vscode: Port ${port} .*already in use.*--port \\d+`));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('prints a generated key once when none is given', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...common()], {
      cwd: root,
      env: { ...process.env, JAN_API_KEY: '' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await expect.poll(() => stdout, { timeout: 60_000 }).toMatch(/shown once\): (\S+)\n/);
    const key = /shown once\): (\S+)\n/.exec(stdout)![1]!;
    const baseURL = /Jan API server: (\S+)\n/.exec(stdout)![1]!;
    await expect(new OpenAI({ baseURL, apiKey: key, maxRetries: 0 }).models.list()).resolves.toBeDefined();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 120_000);
});
