import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORIES, STORIES_FIM, STORIES_SHA256 } from '../../support/test-models';
import { RangeServer } from '../models/support/range-server';
import { bin, buildCli, cliFolders, run as runBin } from './support/cli-fixture';
import type { Run } from './support/cli-fixture';

let folders: ReturnType<typeof cliFolders>;
let root: string;
let modelId: string;

const run = (args: string[], env: Record<string, string> = {}): Run => runBin(root, args, { env });
/** The folders and the small, fast engine settings the test models need. */
const common = () => [...folders.common(), '--context-size', '512'];

beforeAll(() => {
  buildCli();
  folders = cliFolders('jan-cli-');
  root = folders.root;
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
      ['run'],
      ['ps'],
      ['stop'],
      ['models'],
      ['models', 'list'],
      ['models', 'show'],
      ['models', 'import'],
      ['models', 'download'],
      ['models', 'remove'],
      ['threads'],
      ['threads', 'list'],
      ['threads', 'show'],
      ['threads', 'export'],
      ['threads', 'delete'],
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

  it('refuses a bad flag with one line naming it, before touching anything', () => {
    const untouched = path.join(root, 'untouched', '.jan');
    for (const [args, says] of [
      [['--threads', 'abc'], /^jan-vscode: --threads must be a whole number, not "abc"/],
      [['--gpu', 'bogus'], /^jan-vscode: --gpu "bogus": Allowed choices are auto, cuda, vulkan, metal, cpu, off/],
      [['--context-size', '-5'], /^jan-vscode: --context-size must be a whole number of at least 16, not "-5"/],
      [['--max-tokens', '0'], /^jan-vscode: --max-tokens must be a whole number of at least 1, not "0"/],
      [['--temperature', 'hot'], /^jan-vscode: --temperature must be a number from 0 to 2, not "hot"/],
      [['--bogus'], /^jan-vscode: unknown option '--bogus'/],
    ] as const) {
      const refused = run(['chat', 'Hello', ...args, '--data', untouched, '--models', folders.models]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(says);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stdout).toBe('');
    }
    expect(existsSync(untouched)).toBe(false);
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
