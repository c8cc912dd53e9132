import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JanCore, MemoryLogger, type JanTool, type ToolContext } from '@jan/core';
import { WorkspaceToolsExtension, type ProblemsProvider } from '../../../extensions/workspace-tools';
import { isAlive } from '../../support/processes';
import { ensureRipgrep } from '../../support/ripgrep';

let sandbox: string;
let root: string;
let core: JanCore;
let extension: WorkspaceToolsExtension;

function write(relative: string, content: string | Buffer): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

let calls = 0;
function context(overrides: Partial<ToolContext> = {}): ToolContext {
  calls += 1;
  return { signal: new AbortController().signal, callId: `call-${calls}`, workspaceRoot: root, ...overrides };
}

function tool(name: string): JanTool {
  const found = core.tools.get(name);
  if (!found) throw new Error(`${name} is not registered`);
  return found;
}

const call = (name: string, args: Record<string, unknown>, overrides: Partial<ToolContext> = {}) =>
  tool(name).invoke(args, context(overrides));

beforeAll(async () => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'jan-tools-'));
  root = path.join(sandbox, 'repo');
  mkdirSync(root);
  core = new JanCore({ janFolder: path.join(root, '.jan'), modelsFolder: sandbox, logger: new MemoryLogger() });
  const problems: ProblemsProvider = {
    problems: async (_root, file) => [
      {
        path: file ?? 'src/a.ts',
        line: 3,
        column: 5,
        severity: 'error',
        message: "Cannot find name 'x'.",
        source: 'ts',
      },
    ],
  };
  extension = new WorkspaceToolsExtension(core.context, {
    ripgrepPath: ensureRipgrep(),
    problems,
    limits: { readLines: 3, commandOutputBytes: 4096 },
  });
  core.register(extension);
  expect(await core.start()).toEqual([]);
});

afterAll(async () => {
  await core.stop();
  rmSync(sandbox, { recursive: true, force: true });
});

beforeEach(() => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root);
});

describe('the registered workspace tools', () => {
  it('registers each tool with a compact description and an object schema, and removes them on unload', async () => {
    const names = core.tools.all().map((registered) => registered.definition.name);
    expect(names).toEqual([
      'read_file',
      'find_files',
      'search_text',
      'symbols',
      'git_diff',
      'problems',
      'edit_file',
      'create_file',
      'run_command',
    ]);
    for (const registered of core.tools.all()) {
      expect(registered.source).toBe('jan');
      expect(registered.definition.description.length).toBeLessThanOrEqual(120);
      expect(registered.definition.parameters).toMatchObject({ type: 'object' });
      expect(registered.definition.parameters).not.toHaveProperty('$schema');
    }
    expect(
      core.tools
        .all()
        .filter((registered) => registered.effect !== 'read')
        .map((t) => t.definition.name),
    ).toEqual(['edit_file', 'create_file', 'run_command']);
    expect(tool('edit_file').preview).toBeTypeOf('function');
    expect(tool('create_file').preview).toBeTypeOf('function');
    await extension.onUnload();
    expect(core.tools.all()).toEqual([]);
    await extension.onLoad();
    expect(core.tools.all()).toHaveLength(9);
  });

  it('describes all the built-in tools in under 800 tokens (4 characters a token, as the agent loop estimates)', () => {
    const characters = core.tools
      .all()
      .reduce(
        (sum, registered) =>
          sum +
          registered.definition.name.length +
          registered.definition.description.length +
          JSON.stringify(registered.definition.parameters).length,
        0,
      );
    expect(characters / 4 + 8 * core.tools.all().length).toBeLessThanOrEqual(800);
  });

  it('answers bad arguments and a missing workspace with an error result the model can read', async () => {
    expect(await call('read_file', { path: 7 })).toMatchObject({
      isError: true,
      content: expect.stringContaining('path'),
    });
    expect(await call('read_file', { path: 'a.txt' }, { workspaceRoot: undefined })).toMatchObject({
      isError: true,
      content: expect.stringContaining('No workspace folder'),
    });
  });

  it('read_file: a range, where it continues, and refusals for links out', async () => {
    write('notes.txt', 'one\ntwo\nthree\nfour\nfive\n');
    const first = await call('read_file', { path: 'notes.txt' });
    expect(first.content).toBe(
      'notes.txt lines 1-3 of 5:\none\ntwo\nthree\n[notes.txt continues: read from start_line 4]',
    );
    expect(first.summary).toBe('3 lines of notes.txt');
    expect((await call('read_file', { path: 'notes.txt', start_line: 4, end_line: 9 })).content).toBe(
      'notes.txt lines 4-5 of 5:\nfour\nfive',
    );
    expect(await call('read_file', { path: 'notes.txt', start_line: 9 })).toMatchObject({ isError: true });
    symlinkSync('/etc', path.join(root, 'etc'));
    expect(await call('read_file', { path: 'etc/hostname' })).toMatchObject({
      isError: true,
      content: expect.stringContaining('symbolic link'),
    });
  });

  it('find_files and search_text list what they found, and say when there is more', async () => {
    write('src/a.ts', 'export const total = 1;\n');
    write('src/b.ts', 'import { total } from "./a";\nconsole.log(total);\n');
    expect(await call('find_files', { pattern: '*.ts' })).toMatchObject({
      content: 'src/a.ts\nsrc/b.ts',
      summary: '2 files',
    });
    const found = await call('search_text', { query: 'total', max_results: 2 });
    expect(found.content).toBe(
      'src/a.ts:1: export const total = 1;\nsrc/b.ts:1: import { total } from "./a";\n[more matches; narrow the query or use include]',
    );
    expect(found.summary).toBe('2 matches+ in 2 files');
    expect((await call('search_text', { query: 'absent' })).summary).toBe('no matches');
  });

  it('symbols: the definition by text search when no language server is given, and references', async () => {
    write('src/price.ts', 'export function computePrice(a: number) {\n  return a;\n}\n');
    write('src/use.ts', 'import { computePrice } from "./price";\nconst p = computePrice(2);\n');
    const definition = await call('symbols', { name: 'computePrice' });
    expect(definition.content).toBe('src/price.ts:1: [function] export function computePrice(a: number) {');
    const references = await call('symbols', { name: 'computePrice', find: 'references' });
    expect(references.summary).toBe('3 references in 2 files');
    expect((await call('symbols', { name: 'Price', find: 'matching' })).content).toContain(
      'src/price.ts:1: [function]',
    );
  });

  it('problems: what the host reports', async () => {
    expect((await call('problems', { path: 'src/x.ts' })).content).toBe(
      "src/x.ts:3:5: error [ts]: Cannot find name 'x'.",
    );
  });

  it('edit_file: preview shows the diff, invoke writes it and returns the change and a diff for the model', async () => {
    const file = write('src/calc.py', 'def add(a, b):\n    return a + b\n');
    const args = { path: 'src/calc.py', edits: [{ search: 'return a + b', replace: 'return a + b + 0' }] };
    const ctx = context();
    expect(await tool('edit_file').preview?.(args, ctx)).toEqual([
      {
        path: 'src/calc.py',
        before: 'def add(a, b):\n    return a + b\n',
        after: 'def add(a, b):\n    return a + b + 0\n',
      },
    ]);
    expect(readFileSync(file, 'utf8')).toBe('def add(a, b):\n    return a + b\n');
    const result = await tool('edit_file').invoke(args, ctx);
    expect(result.summary).toBe('edited src/calc.py (+1 −1)');
    expect(result.content).toContain('-    return a + b\n+    return a + b + 0');
    expect(result.changes).toEqual([
      {
        path: 'src/calc.py',
        before: 'def add(a, b):\n    return a + b\n',
        after: 'def add(a, b):\n    return a + b + 0\n',
      },
    ]);
    expect(readFileSync(file, 'utf8')).toBe('def add(a, b):\n    return a + b + 0\n');
  });

  it('edit_file: the user edits after the diff was shown, so approving it writes nothing and says why', async () => {
    const file = write('app.js', 'let a = 1;\nlet b = 2;\n');
    const args = { path: 'app.js', edits: [{ search: 'let a = 1;', replace: 'let a = 10;' }] };
    const ctx = context();
    await tool('edit_file').preview?.(args, ctx);
    writeFileSync(file, 'let a = 1;\nlet b = 2;\n// typed by the user\n');
    const result = await tool('edit_file').invoke(args, ctx);
    expect(result).toMatchObject({
      isError: true,
      content: expect.stringContaining('changed after the edit was shown'),
    });
    expect(readFileSync(file, 'utf8')).toBe('let a = 1;\nlet b = 2;\n// typed by the user\n');
  });

  it('edit_file: search text matching twice or nowhere is an error naming it, and nothing is written', async () => {
    const file = write('dup.txt', 'same\nsame\nother\n');
    const twice = await call('edit_file', { path: 'dup.txt', edits: [{ search: 'same', replace: 'x' }] });
    expect(twice).toMatchObject({ isError: true, content: expect.stringContaining('"same" matches 2 places') });
    const nowhere = await call('edit_file', {
      path: 'dup.txt',
      edits: [
        { search: 'other', replace: 'changed' },
        { search: 'missing', replace: 'x' },
      ],
    });
    expect(nowhere).toMatchObject({
      isError: true,
      content: expect.stringContaining('Edit 2 of 2: the search text "missing"'),
    });
    expect(readFileSync(file, 'utf8')).toBe('same\nsame\nother\n');
  });

  it('create_file: previews and creates with folders, never over an existing file or through a link out', async () => {
    const args = { path: 'pkg/new.ts', content: 'export const x = 1;\n' };
    expect(await tool('create_file').preview?.(args, context())).toEqual([
      { path: 'pkg/new.ts', before: null, after: 'export const x = 1;\n' },
    ]);
    expect(await call('create_file', args)).toMatchObject({
      content: 'Created pkg/new.ts (2 lines).',
      changes: [{ path: 'pkg/new.ts', before: null, after: 'export const x = 1;\n' }],
    });
    expect(await call('create_file', args)).toMatchObject({
      isError: true,
      content: expect.stringContaining('already exists'),
    });
    const outside = path.join(sandbox, 'elsewhere');
    mkdirSync(outside, { recursive: true });
    symlinkSync(outside, path.join(root, 'out'));
    expect(await call('create_file', { path: 'out/x.sh', content: 'x' })).toMatchObject({ isError: true });
    expect(existsSync(path.join(outside, 'x.sh'))).toBe(false);
  });
});

describe('run_command', () => {
  const node = JSON.stringify(process.execPath);

  it('returns the output and the exit code, and runs in a workspace folder', async () => {
    mkdirSync(path.join(root, 'sub'));
    const result = await call('run_command', {
      command: `${node} -e "console.log(process.cwd()); process.exit(3)"`,
      cwd: 'sub',
    });
    expect(result.content).toContain(path.join(root, 'sub'));
    expect(result.content).toMatch(/\[exit code 3\]$/);
    expect(result).toMatchObject({ summary: 'exit code 3', isError: false });
    expect(await call('run_command', { command: 'echo hi', cwd: '..' })).toMatchObject({ isError: true });
  });

  it('kills a command that hangs at the timeout, with what it printed, and the turn goes on', async () => {
    const result = await call('run_command', {
      command: `${node} -e "console.log('started'); setInterval(() => {}, 1000)"`,
      timeout_seconds: 1,
    });
    expect(result).toMatchObject({ isError: true, summary: 'timed out after 1 s: killed' });
    expect(result.content).toContain('started');
  });

  it('kills a command that floods output, keeping its start and end within the cap', async () => {
    const result = await call('run_command', {
      // Writes as fast as the pipe takes it (a busy loop would only fill its own memory).
      command: `${node} -e "const c = 'y'.repeat(65536); process.stdout.write('BEGIN\\n'); const w = () => { while (process.stdout.write(c)); process.stdout.once('drain', w); }; w()"`,
    });
    expect(result).toMatchObject({ isError: true, summary: expect.stringContaining('killed: more than') });
    expect(result.content.startsWith('$ ')).toBe(true);
    expect(result.content).toContain('BEGIN');
    expect(result.content).toMatch(/\[… [\d.]+ MB of output cut …\]/);
    expect(result.content.length).toBeLessThan(4096 + 400);
  });

  it('is killed with everything it started when the turn is stopped', async () => {
    const controller = new AbortController();
    const marker = path.join(sandbox, 'child-alive');
    const pending = call(
      'run_command',
      {
        command: `${node} -e "require('fs').writeFileSync(${JSON.stringify(JSON.stringify(marker))}, String(process.pid)); setInterval(() => {}, 1000)"`,
      },
      { signal: controller.signal },
    );
    await expect.poll(() => existsSync(marker), { timeout: 60_000 }).toBe(true);
    controller.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    const pid = Number(readFileSync(marker, 'utf8'));
    await expect.poll(() => isAlive(pid), { timeout: 60_000 }).toBe(false);
  });
});

describe('git_diff', () => {
  afterEach(() => rmSync(path.join(sandbox, 'filter-ran'), { force: true }));

  function git(...args: string[]): void {
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd: root,
      stdio: 'ignore',
    });
  }

  it('shows changes and untracked files, and never runs a filter, fsmonitor or diff driver the repository configures', async () => {
    git('init', '-q');
    write('a.txt', 'one\n');
    git('add', 'a.txt');
    git('commit', '-qm', 'first');
    const marker = path.join(sandbox, 'filter-ran');
    const hook = `sh -c 'touch ${marker}; cat'`;
    git('config', 'filter.evil.clean', hook);
    git('config', 'diff.evil.command', hook);
    git('config', 'diff.evil.textconv', hook);
    git('config', 'core.fsmonitor', `touch ${marker}`);
    write('.gitattributes', '*.txt filter=evil diff=evil\n');
    write('a.txt', 'one\ntwo\n');
    write('new.txt', 'x\n');
    const result = await call('git_diff', {});
    expect(result.content).toContain('+two');
    expect(result.content).toContain('Untracked files (not in the diff):\n.gitattributes\nnew.txt');
    expect(result.summary).toBe('3 files changed');
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses an option in place of a ref, and says when there is no repository', async () => {
    expect(await call('git_diff', { ref: '--output=/tmp/x' })).toMatchObject({ isError: true });
    expect(await call('git_diff', {})).toMatchObject({
      isError: true,
      content: expect.stringContaining('not a git repository'),
    });
  });
});
