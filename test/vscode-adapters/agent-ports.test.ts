/**
 * The agent's ports filled by the editor, driven through the real workspace tools on a temp
 * workspace: unsaved editor text read and edited as one undoable WorkspaceEdit (the user's typing
 * since is a conflict, never overwritten), diagnostics, language-server symbols with the text
 * search behind them, and the chat's approvals and checkpoint revert.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import type { JanTool } from '@jan/core';
import { toolEnvironment, type WorkspaceToolsOptions } from '../../extensions/workspace-tools';
import { workspaceTools } from '../../extensions/workspace-tools/tools';
import { EditorFiles } from '../../src/vscode/agent/editor-files';
import { EditorProblems } from '../../src/vscode/agent/editor-problems';
import { LanguageSymbols } from '../../src/vscode/agent/language-symbols';
import { TerminalCommands } from '../../src/vscode/agent/terminal-commands';
import { VsCodeAgentPort, ALWAYS_ALLOW_KEY, PROPOSAL_SCHEME } from '../../src/vscode/chat/agent/vscode-agent-port';
import { editorSettings } from '../../src/vscode/settings';
import {
  commands,
  diagnostics,
  DiagnosticSeverity,
  openDocument,
  Position,
  Range,
  registered,
  resetStandIn,
  setSetting,
  SymbolKind,
  ui,
  Uri,
} from '../support/vscode-stand-in';

let root: string;

beforeEach(() => {
  resetStandIn();
  root = mkdtempSync(path.join(tmpdir(), 'jan-agent-ports-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tool(name: string, ports: WorkspaceToolsOptions): JanTool {
  return workspaceTools(toolEnvironment(ports)).find((candidate) => candidate.definition.name === name)!;
}

async function call(target: JanTool, args: Record<string, unknown>) {
  return target.invoke(args, { signal: new AbortController().signal, callId: 'c1', workspaceRoot: root });
}

describe('files in the editor', () => {
  it('reads unsaved text and edits it as one undoable edit, leaving the unsaved file unsaved', async () => {
    writeFileSync(path.join(root, 'a.ts'), 'const a = 1;\n');
    const document = openDocument(path.join(root, 'a.ts'), 'const a = 1;\n');
    document.setText('const a = 2;\n');
    const edit = tool('edit_file', { files: new EditorFiles() });
    const result = await call(edit, { path: 'a.ts', edits: [{ search: 'const a = 2;', replace: 'const a = 3;' }] });
    expect(result.isError).toBeFalsy();
    expect(document.getText()).toBe('const a = 3;\n');
    expect(document.undoStack).toEqual(['const a = 2;\n']);
    expect(document.saves).toEqual([]);
    expect(readFileSync(path.join(root, 'a.ts'), 'utf8')).toBe('const a = 1;\n');
    expect(result.changes).toEqual([{ path: 'a.ts', before: 'const a = 2;\n', after: 'const a = 3;\n' }]);
  });

  it('reads a range of lines from the editor’s unsaved text', async () => {
    writeFileSync(path.join(root, 'a.ts'), 'one\ntwo\nthree\n');
    const document = openDocument(path.join(root, 'a.ts'), 'one\ntwo\nthree\n');
    document.setText('one\nTWO, typed\nthree\nfour\n');
    const result = await call(tool('read_file', { files: new EditorFiles() }), {
      path: 'a.ts',
      start_line: 2,
      end_line: 3,
    });
    expect(result.content).toContain('TWO, typed');
    expect(result.content).not.toContain('one');
    expect(result.content).toContain('lines 2-3 of 4');
  });

  it('saves an open file that had no unsaved changes, so commands see the edit', async () => {
    writeFileSync(path.join(root, 'a.ts'), 'x\n');
    const document = openDocument(path.join(root, 'a.ts'), 'x\n');
    await call(tool('edit_file', { files: new EditorFiles() }), {
      path: 'a.ts',
      edits: [{ search: 'x', replace: 'y' }],
    });
    expect(document.saves).toEqual(['y\n']);
  });

  it('refuses a write made from text the user has typed over since, and keeps their text', async () => {
    writeFileSync(path.join(root, 'a.ts'), 'one\n');
    const document = openDocument(path.join(root, 'a.ts'), 'one\n');
    const files = new EditorFiles();
    const read = await files.read(root, 'a.ts');
    document.setText('one, typed\n');
    await expect(files.write(root, { path: 'a.ts', text: 'two\n', base: read.version })).rejects.toMatchObject({
      problem: 'conflict',
    });
    expect(document.getText()).toBe('one, typed\n');
  });

  it('keeps the disk checks: a path out of the workspace is refused', async () => {
    await expect(new EditorFiles().read(root, '../outside.ts')).rejects.toMatchObject({ problem: 'outside' });
  });
});

describe('commands in the Jan Agent terminal', () => {
  it('runs the command through the tool, shows it and its output live, and returns the capped outcome', async () => {
    const commands = new TerminalCommands();
    const result = await call(tool('run_command', { commands }), { command: 'echo first; echo second 1>&2; exit 3' });
    expect(result.content).toContain('first');
    expect(result.content).toContain('3');
    const [terminal] = registered.terminals;
    expect(terminal).toMatchObject({ name: 'Jan Agent', shown: 1 });
    expect(terminal!.output).toContain('$ echo first; echo second 1>&2; exit 3');
    expect(terminal!.output).toContain('first\r\n');
    expect(terminal!.output).toContain('[exit code 3]');
    await call(tool('run_command', { commands }), { command: 'echo again' });
    expect(registered.terminals).toHaveLength(1);
    commands.dispose();
    expect(terminal!.disposed).toBe(true);
  });
});

describe('problems from the editor', () => {
  it('lists the workspace files’ diagnostics, errors first, 1-based, and nothing outside', async () => {
    const inside = Uri.file(path.join(root, 'src', 'a.ts'));
    const outside = Uri.file(path.join(path.dirname(root), 'other.ts'));
    const at = (line: number) => new Range(new Position(line, 4), new Position(line, 6));
    diagnostics.set(inside.toString(), {
      uri: inside,
      items: [
        { range: at(2), message: 'unused', severity: DiagnosticSeverity.Warning },
        { range: at(0), message: 'type error', severity: DiagnosticSeverity.Error, source: 'ts' },
      ],
    });
    diagnostics.set(outside.toString(), {
      uri: outside,
      items: [{ range: at(0), message: 'elsewhere', severity: 0 }],
    });
    const problems = new EditorProblems();
    expect(await problems.problems(root, undefined, 10)).toEqual([
      { path: 'src/a.ts', line: 1, column: 5, severity: 'error', message: 'type error', source: 'ts' },
      { path: 'src/a.ts', line: 3, column: 5, severity: 'warning', message: 'unused' },
    ]);
    expect(await problems.problems(root, 'src/a.ts', 1)).toHaveLength(1);
    const result = await call(tool('problems', { problems }), {});
    expect(result.content).toContain('type error');
  });
});

describe('symbols from the language servers', () => {
  it('finds definitions and references through the providers, inside the workspace only', async () => {
    const file = path.join(root, 'shop.ts');
    openDocument(file, 'export function total(items) {\n  return 1;\n}\nconst t = total([]);\n');
    const uri = Uri.file(file);
    const symbol = {
      name: 'total',
      kind: SymbolKind.Function,
      containerName: '',
      location: { uri, range: new Range(new Position(0, 0), new Position(2, 1)) },
    };
    const elsewhere = { ...symbol, location: { uri: Uri.file('/elsewhere/x.ts'), range: symbol.location.range } };
    commands.registerCommand('vscode.executeWorkspaceSymbolProvider', () => [symbol, elsewhere]);
    const asked: unknown[] = [];
    commands.registerCommand('vscode.executeReferenceProvider', (_uri, position) => {
      asked.push(position);
      return [{ uri, range: new Range(new Position(3, 10), new Position(3, 15)) }];
    });
    const symbols = new LanguageSymbols({
      workspaceSymbols: async () => [],
      definitions: async () => [],
      references: async () => [],
    });
    expect(await symbols.definitions(root, 'total', 10)).toEqual([
      { name: 'total', kind: 'function', path: 'shop.ts', line: 1, text: 'export function total(items) {' },
    ]);
    expect(await symbols.references(root, 'total', 10)).toEqual([
      { name: 'total', kind: 'reference', path: 'shop.ts', line: 4, text: 'const t = total([]);' },
    ]);
    // The reference search starts on the name, not at the start of the declaration.
    expect(asked).toEqual([new Position(0, 16)]);
  });

  it('falls back to the text search where no language server answers', async () => {
    writeFileSync(path.join(root, 'util.py'), 'def helper():\n    pass\n');
    const symbols = new LanguageSymbols(toolEnvironment({}).symbols);
    const found = await symbols.definitions(root, 'helper', 10);
    expect(found.map((symbol) => [symbol.path, symbol.line])).toEqual([['util.py', 1]]);
  });
});

describe('approvals and checkpoints in the editor', () => {
  function memento(): vscode.Memento & { data: Map<string, unknown> } {
    const data = new Map<string, unknown>();
    return {
      data,
      keys: () => [...data.keys()],
      get: (key: string) => data.get(key),
      update: async (key: string, value: unknown) => void data.set(key, value),
    } as unknown as vscode.Memento & { data: Map<string, unknown> };
  }

  it('remembers "always" per tool and source in the workspace state, and ignores what is not a list', async () => {
    const state = memento();
    const port = new VsCodeAgentPort(state, root, editorSettings());
    expect(port.isAlwaysAllowed({ name: 'edit_file', source: 'jan' })).toBe(false);
    await port.rememberAlways({ name: 'edit_file', source: 'jan' });
    await port.rememberAlways({ name: 'edit_file', source: 'jan' });
    expect(state.data.get(ALWAYS_ALLOW_KEY)).toEqual(['jan/edit_file']);
    expect(port.isAlwaysAllowed({ name: 'edit_file', source: 'mcp:files' })).toBe(false);
    state.data.set(ALWAYS_ALLOW_KEY, 'jan/edit_file');
    expect(port.isAlwaysAllowed({ name: 'edit_file', source: 'jan' })).toBe(false);
  });

  it('reviews edits after the turn only when the user chose it', () => {
    const port = new VsCodeAgentPort(memento(), root, editorSettings());
    expect(port.reviewsEditsAfter()).toBe(false);
    setSetting('jan.agent.reviewEdits', 'after');
    expect(port.reviewsEditsAfter()).toBe(true);
  });

  it('opens a proposed change in the diff editor, both sides served read-only', async () => {
    const port = new VsCodeAgentPort(memento(), root, editorSettings());
    await port.showDiff({ path: 'src/a.ts', before: 'old\n', after: 'new\n' });
    const diff = ui.executed.find((entry) => entry.command === 'vscode.diff')!;
    const [left, right, title] = diff.args as [Uri, Uri, string];
    const provider = registered.contentProviders.get(PROPOSAL_SCHEME) as {
      provideTextDocumentContent(uri: Uri): string;
    };
    expect([provider.provideTextDocumentContent(left), provider.provideTextDocumentContent(right)]).toEqual([
      'old\n',
      'new\n',
    ]);
    expect(title).toContain('src/a.ts');
    port.dispose();
    expect(registered.contentProviders.has(PROPOSAL_SCHEME)).toBe(false);
  });

  it('reverts open files as one edit, and leaves a file the user changed since', async () => {
    const a = openDocument(path.join(root, 'a.ts'), 'agent a\n');
    const b = openDocument(path.join(root, 'b.ts'), 'agent b, then the user\n');
    const port = new VsCodeAgentPort(memento(), root, editorSettings());
    const outcome = await port.restore([
      { path: 'a.ts', text: 'original a\n', expected: 'agent a\n' },
      { path: 'b.ts', text: 'original b\n', expected: 'agent b\n' },
    ]);
    expect(outcome).toEqual({ conflicts: ['b.ts'] });
    expect(a.getText()).toBe('original a\n');
    expect(a.undoStack).toEqual(['agent a\n']);
    expect(b.getText()).toBe('agent b, then the user\n');
  });
});
