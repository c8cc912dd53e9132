import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachableFromOtherMachines } from '../../../src/node/cli/commands/serve';
import { STORIES_FIM } from '../../support/test-models';
import { buildCli, cliFolders, run as runBin, start } from './support/cli-fixture';

/** The built bin's commands that manage models, threads, files and a running server. */
let folders: ReturnType<typeof cliFolders>;
let model: string;

const run = (args: string[], env: Record<string, string> = {}) =>
  runBin(folders.root, [...args, ...folders.common()], { env });

beforeAll(() => {
  buildCli();
  folders = cliFolders('jan-cli-manage-');
  model = run(['models', 'import', STORIES_FIM]).stdout.trim();
}, 180_000);

afterAll(() => {
  rmSync(folders.root, { recursive: true, force: true });
});

describe('models', () => {
  it('lists as JSON, shows one model, and removes one (a file imported in place is kept)', () => {
    const listed = JSON.parse(run(['models', 'list', '--json']).stdout) as Array<{ id: string; engine: string }>;
    expect(listed).toEqual([expect.objectContaining({ id: model, engine: 'llamacpp' })]);
    const shown = JSON.parse(run(['models', 'show', model, '--json']).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      id: model,
      file: STORIES_FIM,
      architecture: 'llama',
      training_context: 2048,
      chat_template: true,
      referenced_in_place: true,
    });
    expect(shown.size).toBeGreaterThan(1_000_000);
    expect(run(['models', 'show', 'no-such-model']).stderr).toMatch(/^jan-vscode: There is no model "no-such-model"/);

    const other = run(['models', 'import', STORIES_FIM]).stdout.trim();
    const removed = run(['models', 'remove', other]);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain(`Removed ${other}. Its file ${STORIES_FIM} was imported in place and is kept.`);
    expect(existsSync(STORIES_FIM)).toBe(true);
    expect(run(['models', 'list']).stdout).not.toContain(other);
  });

  it('finds, by default, the models of the folder every editor shares', () => {
    const env = { XDG_DATA_HOME: path.join(folders.root, 'xdg'), JAN_MODELS_FOLDER: '' };
    const data = ['--data', folders.data];
    expect(runBin(folders.root, ['models', 'import', STORIES_FIM, ...data], { env }).status).toBe(0);
    const shared = path.join(folders.root, 'xdg', 'jan-vscode', 'models');
    expect(existsSync(shared)).toBe(true);
    expect(runBin(folders.root, ['models', 'list', ...data], { env }).stdout).toContain('stories260k-chatml-fim');
  });
});

describe('files', () => {
  it('export never replaces a file unless --force, and says why a path cannot be written', () => {
    expect(run(['chat', 'Once upon a time', '--model', model, '--max-tokens', '2']).status).toBe(0);
    const archive = path.join(folders.root, 'all.tar.gz');
    writeFileSync(archive, 'precious');
    const refused = run(['export', archive]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `jan-vscode: ${archive} already exists; nothing was written. Choose another name, or add --force to replace it.\n`,
    );
    expect(readFileSync(archive, 'utf8')).toBe('precious');
    expect(run(['export', archive, '--force']).status).toBe(0);
    expect(readFileSync(archive).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const missing = path.join(folders.root, 'no-such-folder', 'all.tar.gz');
    expect(run(['export', missing]).stderr).toBe(
      `jan-vscode: ${missing} cannot be written: the folder ${path.dirname(missing)} does not exist.\n`,
    );
    const locked = path.join(folders.root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const denied = run(['export', path.join(locked, 'all.tar.gz')]);
      // root writes anywhere; everyone else is told why not.
      if (process.getuid?.() !== 0) expect(denied.stderr).toMatch(/cannot be written: no permission to write in /);
    } finally {
      chmodSync(locked, 0o700);
    }
    // No temp file is left beside the target, whatever happened.
    expect(readdirSync(folders.root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('threads export --out refuses an existing file; threads delete removes a thread', () => {
    const list = JSON.parse(run(['threads', 'list', '--json']).stdout) as Array<{ id: string }>;
    const id = list[0]!.id;
    const out = path.join(folders.root, 'thread.md');
    writeFileSync(out, 'mine');
    expect(run(['threads', 'export', id, '--out', out]).stderr).toMatch(/already exists; nothing was written/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect(run(['threads', 'export', id, '--out', out, '--force']).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('## User');

    const deleted = run(['threads', 'delete', id]);
    expect(deleted.status).toBe(0);
    expect(existsSync(path.join(folders.data, 'threads', id))).toBe(false);
    expect(run(['threads', 'delete', id]).stderr).toMatch(/^jan-vscode: Thread \S+ was not found/);
  });
});

describe('a running server', () => {
  it('serve --model loads the model first; ps lists it, stop unloads it', async () => {
    const env = { JAN_API_KEY: 'cli-manage-key' };
    const server = start(folders.root, ['serve', '--port', '0', '--model', model, ...folders.common()], env);
    try {
      await expect.poll(() => server.output.stdout, { timeout: 120_000 }).toMatch(/Jan API server: (\S+)\n/);
      const url = /Jan API server: (\S+)\n/.exec(server.output.stdout)![1]!;
      const ps = run(['ps', '--url', url, '--json'], env);
      expect(JSON.parse(ps.stdout)).toEqual([{ id: model, engine: 'llamacpp' }]);
      expect(run(['ps', '--url', url], { JAN_API_KEY: 'wrong' }).stderr).toMatch(/refused the key/);
      const stopped = run(['stop', model, '--url', url], env);
      expect(stopped.stdout).toBe(`Unloaded ${model}.\n`);
      expect(JSON.parse(run(['ps', '--url', url, '--json'], env).stdout)).toEqual([]);
      expect(run(['stop', 'no-such-model', '--url', url], env).stderr).toMatch(/does not exist/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    expect(run(['ps', '--url', 'http://127.0.0.1:9'], { JAN_API_KEY: 'x' }).stderr).toMatch(
      /^jan-vscode: No API server answers at http:\/\/127\.0\.0\.1:9/,
    );
  }, 180_000);

  it('binding beyond this machine says LAN clients get 403 until their name is allowed', () => {
    expect(reachableFromOtherMachines('127.0.0.1', [])).toBeUndefined();
    expect(reachableFromOtherMachines('localhost', [])).toBeUndefined();
    expect(reachableFromOtherMachines('0.0.0.0', [])).toMatch(/answers 403 .* --allow-host <name>/);
    expect(reachableFromOtherMachines('0.0.0.0', ['gpu-box.lan'])).toContain('allowed now: gpu-box.lan');
  });
});
