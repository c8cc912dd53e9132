import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { EngineError, INSERT_MARKER, INSERT_TOKEN_LIMIT, rewriteTokenLimit } from '@jan/core';
import { registerSelectionCommands } from '../../src/vscode/selection/commands';
import { ProposalStore, PROPOSAL_SCHEME } from '../../src/vscode/selection/proposals';
import {
  openDocument,
  Position,
  registered,
  resetStandIn,
  Selection,
  setSetting,
  TabInputTextDiff,
  ui,
  window,
  type StandInDocument,
} from '../support/vscode-stand-in';
import { ScriptedEngine } from '../support/scripted-engine';
import { adapterRuntime } from './support/adapter-runtime';

let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let registration: vscode.Disposable;
let document: StandInDocument;

const SOURCE = 'def add(a, b):\n    return a + b\n\n    \ndef mean(values):\n    return sum(values) / len(values)\n';

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime();
  setSetting('jan.chatModel', 'chat-1');
  registration = registerSelectionCommands({
    inference: fixture.runtime.inference,
    proposals: new ProposalStore(),
    logger: fixture.logger,
    askInChat: async () => undefined,
    assistant: async () => (await fixture.runtime.assistants.listAssistants()).assistants[0],
  });
  document = openDocument('/w/math_utils.py', SOURCE, 'python');
  cursor(3, 4);
});

afterEach(async () => {
  registration.dispose();
  await fixture.dispose();
});

function cursor(line: number, character: number): void {
  select(line, character, line, character);
}

function select(startLine: number, startCharacter: number, endLine: number, endCharacter: number): void {
  window.activeTextEditor = {
    document,
    selection: new Selection(new Position(startLine, startCharacter), new Position(endLine, endCharacter)),
  };
}

/** The user types `instruction` into the input box; returns the box's options as it was shown. */
function typeInstruction(instruction: string | undefined): { shown?: Record<string, unknown> } {
  const seen: { shown?: Record<string, unknown> } = {};
  ui.answer((_prompt: string, options: unknown) => {
    seen.shown = options as Record<string, unknown>;
    return instruction;
  });
  return seen;
}

function diffTab(): { label: string; input: TabInputTextDiff } | undefined {
  return window.tabGroups.activeTabGroup.tabs.find((tab) => tab.input instanceof TabInputTextDiff) as
    { label: string; input: TabInputTextDiff } | undefined;
}

/** What the diff's right side shows now. */
function proposalText(): string {
  const provider = registered.contentProviders.get(PROPOSAL_SCHEME) as ProposalStore;
  return provider.provideTextDocumentContent(diffTab()!.input.modified as unknown as vscode.Uri);
}

function contextKey(key: string): string[] {
  return (ui.context.get(key) as string[] | undefined) ?? [];
}

describe('inline chat (Ctrl/Cmd+I)', () => {
  it('at a cursor on a blank line writes there, streams into a diff, and Enter (accept) applies it as one undo step', async () => {
    const typed = typeInstruction('add a function that returns the product');
    fixture.engine.reply = 'def product(a, b):\n    return a * b\n```\n';
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(typed.shown).toMatchObject({
      title: 'Jan: Write at line 4 of math_utils.py',
      prompt: expect.stringContaining('chat-1 · this machine'),
    });
    const request = fixture.engine.requests[0]!;
    expect(request.max_tokens).toBe(INSERT_TOKEN_LIMIT);
    expect(request.messages[1]!.content).toContain('add a function that returns the product');
    expect(request.messages[1]!.content).toContain(`    return a + b\n\n    ${INSERT_MARKER}\ndef mean(values):`);
    expect(request.messages.at(-1)).toEqual({ role: 'assistant', content: '```python\n' });
    expect(diffTab()!.label).toBe('Inline Chat: math_utils.py ↔ chat-1 · this machine');
    // The review: nobody answered the notification; the user presses Enter in the diff.
    expect(ui.messages.at(-1)).toMatchObject({ level: 'info', text: expect.stringContaining('Enter accepts it') });
    expect(contextKey('jan.readyProposals')).toEqual([diffTab()!.input.modified.toString()]);
    expect(document.getText()).toBe(SOURCE);
    await vscode.commands.executeCommand('jan.acceptProposal');
    expect(document.getText()).toBe(SOURCE.replace('\n    \n', '\n    def product(a, b):\n        return a * b\n'));
    expect(diffTab()).toBeUndefined();
    expect(contextKey('jan.readyProposals')).toEqual([]);
    document.undo();
    expect(document.getText()).toBe(SOURCE);
  });

  it('at a cursor on a line of code writes below it, at its indentation', async () => {
    cursor(1, 8);
    typeInstruction('log the sum');
    fixture.engine.reply = 'print(a + b)\n```';
    ui.answer('Accept');
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(document.getText()).toBe(SOURCE.replace('    return a + b\n', '    return a + b\n    print(a + b)\n'));
  });

  it('on a selection rewrites it with the instruction, within the rewrite limit', async () => {
    select(4, 0, 5, 36);
    const typed = typeInstruction('handle an empty list');
    fixture.engine.reply =
      'def mean(values):\n    if not values:\n        return 0\n    return sum(values) / len(values)\n```\n';
    ui.answer('Accept');
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(typed.shown!.title).toBe('Jan: Edit lines 5-6 of math_utils.py');
    const request = fixture.engine.requests[0]!;
    expect(request.max_tokens).toBe(rewriteTokenLimit(SOURCE.split('\n').slice(4, 6).join('\n')));
    expect(request.messages[1]!.content).toMatch(/^```python math_utils\.py:5-6\n[^]*\n```\n\nhandle an empty list$/);
    expect(document.getText()).toContain('    if not values:\n        return 0\n');
    expect(document.undoStack).toHaveLength(1);
  });

  it('shows the diff growing line by line while the model writes, and Escape stops it keeping what it wrote', async () => {
    select(4, 0, 5, 36);
    typeInstruction('document it');
    fixture.engine.reply =
      'def mean(values):\n    """The mean."""\n    return sum(values) / len(values) if values else 0\n```\n';
    const gate = fixture.engine.hold();
    const running = vscode.commands.executeCommand('jan.inlineChat');
    // "def mean(values):" is the selection's own first line: the diff opens with the first line that differs.
    gate.release(5);
    await expect.poll(() => diffTab() !== undefined).toBe(true);
    const uri = diffTab()!.input.modified.toString();
    expect(contextKey('jan.streamingProposals')).toEqual([uri]);
    // Whole lines only, then the rest of the selection as it was.
    expect(proposalText()).toBe(SOURCE.replace('def mean(values):\n', 'def mean(values):\n    """The mean."""\n'));
    // Accept is refused while the model writes.
    await vscode.commands.executeCommand('jan.acceptProposal');
    expect(ui.messages.at(-1)!.text).toContain('still writing');
    await vscode.commands.executeCommand('jan.stopProposal');
    await running;
    gate.release(Infinity);
    expect(ui.messages.at(-1)).toMatchObject({
      level: 'warning',
      text: expect.stringMatching(
        /^Jan: Stopped after \d+ tokens\. The proposal has the lines written so far, then the rest/,
      ),
    });
    expect(contextKey('jan.streamingProposals')).toEqual([]);
    expect(contextKey('jan.readyProposals')).toEqual([uri]);
    await vscode.commands.executeCommand('jan.acceptProposal');
    expect(document.getText()).toBe(SOURCE.replace('def mean(values):\n', 'def mean(values):\n    """The mean."""\n'));
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(/^Inline Chat on math_utils\.py:5-6: stopped by the user/),
    );
  });

  it('opens with the last instruction selected, so Enter tries it again after a Reject', async () => {
    const first = typeInstruction('add a comment');
    fixture.engine.reply = '# a comment\n```\n';
    ui.answer('Reject');
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(first.shown!.value).toBeUndefined();
    const second = typeInstruction('add a comment');
    ui.answer('Reject');
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(second.shown).toMatchObject({ value: 'add a comment', valueSelection: [0, 13] });
    expect(fixture.engine.requests).toHaveLength(2);
  });

  it('Escape on a finished proposal rejects it: the file and its undo stack stay as they were', async () => {
    typeInstruction('add a comment');
    fixture.engine.reply = '# a comment\n```\n';
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(diffTab()).toBeDefined();
    await vscode.commands.executeCommand('jan.rejectProposal');
    expect(diffTab()).toBeUndefined();
    expect(document.getText()).toBe(SOURCE);
    expect(document.undoStack).toEqual([]);
    expect(contextKey('jan.readyProposals')).toEqual([]);
  });

  it('closing the diff while the model writes stops it and drops the proposal', async () => {
    typeInstruction('write a docstring');
    fixture.engine.reply = '"""Adds."""\nmore = 1\nand_more = 2\n```\n';
    const gate = fixture.engine.hold();
    const running = vscode.commands.executeCommand('jan.inlineChat');
    gate.release(2);
    await expect.poll(() => diffTab() !== undefined).toBe(true);
    await window.tabGroups.close(diffTab()! as never);
    await running;
    gate.release(Infinity);
    expect(contextKey('jan.streamingProposals')).toEqual([]);
    expect(contextKey('jan.readyProposals')).toEqual([]);
    expect(document.getText()).toBe(SOURCE);
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(/stopped by the user after \d+ tokens/),
    );
  });

  it('a failure while writing closes the diff and says what failed; the file is untouched', async () => {
    typeInstruction('add a comment');
    fixture.engine.reply = '# one\n# two\n# three\n```\n';
    fixture.engine.failWith = new EngineError('WORKER_CRASHED', 'The llama.cpp worker stopped unexpectedly.');
    fixture.engine.failAfterTokens = 4;
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(ui.executed.some((call) => call.command === 'vscode.diff')).toBe(true);
    expect(diffTab()).toBeUndefined();
    expect(ui.messages.at(-1)).toMatchObject({
      level: 'error',
      text: 'Jan: The llama.cpp worker stopped unexpectedly.',
    });
    expect(document.getText()).toBe(SOURCE);
    expect(contextKey('jan.streamingProposals')).toEqual([]);
  });

  it('a remote model: the input box and the diff say where the code goes', async () => {
    const remote = new ScriptedEngine({
      id: 'cloud',
      models: ['gpt-x'],
      runsOn: { kind: 'remote', host: 'api.example.com' },
    });
    fixture.runtime.core.engines.register(remote);
    setSetting('jan.chatModel', 'gpt-x');
    const typed = typeInstruction('add a comment');
    remote.reply = '# remote\n```\n';
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(typed.shown!.prompt).toContain('gpt-x · api.example.com');
    expect(diffTab()!.label).toContain('gpt-x · api.example.com');
    expect(remote.requests).toHaveLength(1);
    expect(fixture.engine.requests).toHaveLength(0);
  });

  it('does nothing when the instruction is dismissed, and asks for a model before asking for one', async () => {
    typeInstruction(undefined);
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(fixture.engine.requests).toEqual([]);
    expect(fixture.engine.loads).toBe(0);

    setSetting('jan.chatModel', '');
    ui.answer((_text: string, items: unknown) => (items as string[])[0]);
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(ui.messages.at(-1)).toMatchObject({ level: 'error', text: expect.stringContaining('No chat model') });
    expect(ui.executed.map((call) => call.command)).toContain('jan.selectChatModel');
    expect(ui.answers).toEqual([]);
  });

  it('without an open file says where to press it', async () => {
    window.activeTextEditor = undefined;
    await vscode.commands.executeCommand('jan.inlineChat');
    expect(ui.messages).toEqual([
      { level: 'info', text: 'Open a file, then press Ctrl+I (Cmd+I) where Jan should write.' },
    ]);
  });
});

describe("inline chat's keys (package.json)", () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    contributes: { keybindings: Array<{ command: string; key: string; mac?: string; when?: string }> };
  };
  const bound = (command: string) => manifest.contributes.keybindings.filter((binding) => binding.command === command);

  it('binds Ctrl/Cmd+I in an editable editor, and Enter, Ctrl/Cmd+Enter and Escape to the context keys the store sets', () => {
    expect(bound('jan.inlineChat')).toEqual([
      { command: 'jan.inlineChat', key: 'ctrl+i', mac: 'cmd+i', when: 'editorTextFocus && !editorReadonly' },
    ]);
    expect(bound('jan.acceptProposal').map((binding) => binding.key)).toEqual(['ctrl+enter', 'enter']);
    for (const binding of bound('jan.acceptProposal'))
      expect(binding.when).toMatch(/^resource in jan\.readyProposals\b/);
    expect(bound('jan.rejectProposal')).toMatchObject([
      { key: 'escape', when: expect.stringMatching(/^resource in jan\.readyProposals /) },
    ]);
    expect(bound('jan.stopProposal')).toMatchObject([
      { key: 'escape', when: expect.stringMatching(/^resource in jan\.streamingProposals /) },
    ]);
  });
});
