import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { rewriteTokenLimit } from '@jan/core';
import { registerSelectionCommands } from '../../src/vscode/selection/commands';
import { ProposalStore, PROPOSAL_SCHEME } from '../../src/vscode/selection/proposals';
import {
  openDocument,
  Position,
  resetStandIn,
  Selection,
  setSetting,
  ui,
  window,
  type StandInDocument,
} from '../support/vscode-stand-in';
import { adapterRuntime } from './support/adapter-runtime';

let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let registration: vscode.Disposable;
let asked: string[];
let document: StandInDocument;

const SOURCE =
  'export function mean(values: number[]) {\n  return values.reduce((a, b) => a + b) / values.lenght;\n}\n';

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime();
  setSetting('jan.chatModel', 'chat-1');
  asked = [];
  registration = registerSelectionCommands({
    inference: fixture.runtime.inference,
    proposals: new ProposalStore(),
    logger: fixture.logger,
    askInChat: async (text) => void asked.push(text),
    // As activate.ts wires it: the workspace's default assistant (the first listed).
    assistant: async () => (await fixture.runtime.assistants.listAssistants()).assistants[0],
  });
  document = openDocument('/w/mean.ts', SOURCE);
  select(1, 0, 1, 56);
});

afterEach(async () => {
  registration.dispose();
  await fixture.dispose();
});

function select(startLine: number, startCharacter: number, endLine: number, endCharacter: number): void {
  window.activeTextEditor = {
    document,
    selection: new Selection(new Position(startLine, startCharacter), new Position(endLine, endCharacter)),
  };
}

const FIXED = 'Here it is:\n\n```ts\nreturn values.reduce((a, b) => a + b) / values.length;\n```\n';

describe('commands on a selection', () => {
  it("use the workspace default assistant's own prompts when it has them, Jan's otherwise", async () => {
    await vscode.commands.executeCommand('jan.explainSelection');
    expect(asked[0]).toMatch(/^Explain what this code does/);
    await fixture.runtime.assistants.updateAssistant('jan', {
      metadata: {
        selection_prompts: { explain: 'Explain this for a new team member, citing our CONTRIBUTING rules.' },
      },
    });
    await vscode.commands.executeCommand('jan.explainSelection');
    expect(asked[1]).toMatch(
      /^Explain this for a new team member, citing our CONTRIBUTING rules\.\n\n```typescript mean\.ts:2\n/,
    );
  });

  it("Fix shows the model's code as a proposed diff and applies it in one edit when the user accepts", async () => {
    fixture.engine.reply = FIXED;
    ui.answer('Accept');
    await vscode.commands.executeCommand('jan.fixSelection');
    const request = fixture.engine.requests[0]!;
    expect(request.model).toBe('chat-1');
    expect(request.messages[1]!.content).toContain('values.lenght');
    const diff = ui.executed.find((call) => call.command === 'vscode.diff')!;
    expect((diff.args[1] as vscode.Uri).scheme).toBe(PROPOSAL_SCHEME);
    expect(ui.progress.map((progress) => progress.title)).toEqual(['Jan: Fix']);
    expect(document.getText()).toBe(SOURCE.replace('values.lenght', 'values.length'));
    // One undo step takes the file back: nothing of the stream was ever written into it.
    expect(document.undoStack).toEqual([SOURCE]);
    // The diff closed, the file stays open on the changed code.
    const shown = ui.shown.at(-1)!;
    expect(shown.uri).toBe(document.uri.toString());
    expect(shown.options?.preview).toBe(false);
    const { start, end } = shown.options!.selection!;
    expect(document.getText().slice(document.offsetAt(start), document.offsetAt(end))).toContain('values.length');
  });

  it('opens the code block for the model, and takes a reply that continues it as the code', async () => {
    fixture.engine.reply = '  return values.reduce((a, b) => a + b) / values.length;\n```\n';
    ui.answer('Accept');
    await vscode.commands.executeCommand('jan.refactorSelection');
    const messages = fixture.engine.requests[0]!.messages;
    expect(messages[0]!.content).toContain('no explanation');
    expect(messages.at(-1)).toEqual({ role: 'assistant', content: '```typescript\n' });
    expect(document.getText()).toBe(SOURCE.replace('values.lenght', 'values.length'));
  });

  it('changes nothing when the user rejects the proposal, and leaves the file open', async () => {
    fixture.engine.reply = FIXED;
    ui.answer('Reject');
    await vscode.commands.executeCommand('jan.fixSelection');
    expect(document.getText()).toBe(SOURCE);
    expect(ui.shown.at(-1)?.uri).toBe(document.uri.toString());
  });

  it('does not apply a proposal to a file that changed since it was made', async () => {
    fixture.engine.reply = FIXED;
    ui.answer(() => {
      document.setText(`// edited meanwhile\n${SOURCE}`);
      return 'Accept';
    });
    await vscode.commands.executeCommand('jan.fixSelection');
    expect(document.getText()).toBe(`// edited meanwhile\n${SOURCE}`);
    expect(ui.messages.at(-1)).toMatchObject({
      level: 'warning',
      text: expect.stringContaining('changed since Jan made this proposal'),
    });
  });

  it('says so when the model returns no code, and proposes nothing', async () => {
    fixture.engine.reply = '   ';
    await vscode.commands.executeCommand('jan.documentSelection');
    expect(ui.executed.some((call) => call.command === 'vscode.diff')).toBe(false);
    expect(ui.messages.at(-1)).toMatchObject({ level: 'warning', text: expect.stringContaining('returned no code') });
  });

  it('caps a rewrite at about twice the selection, and applies nothing when the cap cuts the answer', async () => {
    fixture.engine.reply = `I looked at your code carefully. ${'The reduce call sums the values and then it divides by the length. '.repeat(40)}`;
    await vscode.commands.executeCommand('jan.fixSelection');
    const selected = SOURCE.split('\n')[1]!;
    expect(fixture.engine.requests[0]!.max_tokens).toBe(rewriteTokenLimit(selected));
    expect(fixture.engine.requests[0]!.max_tokens).toBeLessThan(200);
    expect(ui.executed.some((call) => call.command === 'vscode.diff')).toBe(false);
    expect(document.getText()).toBe(SOURCE);
    expect(ui.messages.at(-1)).toMatchObject({
      level: 'warning',
      text: expect.stringContaining(`stopped at ${rewriteTokenLimit(selected)} tokens`),
    });
  });

  it('proposes nothing when the model closes the block at once and answers in prose', async () => {
    fixture.engine.reply = '\n```\nThe code looks right to me.';
    await vscode.commands.executeCommand('jan.refactorSelection');
    expect(ui.executed.some((call) => call.command === 'vscode.diff')).toBe(false);
    expect(document.getText()).toBe(SOURCE);
    expect(ui.messages.at(-1)).toMatchObject({
      level: 'warning',
      text: expect.stringContaining('the model returned no code, so nothing was proposed'),
    });
  });

  it('logs each command with its size, limit, tokens and time, and a rejected answer as a warning', async () => {
    fixture.engine.reply = FIXED;
    ui.answer('Reject');
    await vscode.commands.executeCommand('jan.fixSelection');
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(/^Fix on mean\.ts:2-2: 56 characters, at most \d+ tokens\.$/),
    );
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(
        /^Fix on mean\.ts:2-2 from chat-1: \d+ tokens in [\d.]+ s, [\d.]+ tok\/s; first token after \d+ ms\.$/,
      ),
    );
    fixture.engine.reply = '```\nLooks fine to me.';
    await vscode.commands.executeCommand('jan.refactorSelection');
    expect(fixture.logger.messages('warn')).toContainEqual(
      expect.stringMatching(
        /^Refactor on mean\.ts:2-2: the model returned no code \(\d+ tokens\); nothing proposed\.$/,
      ),
    );
    await vscode.commands.executeCommand('jan.explainSelection');
    expect(fixture.logger.messages('info')).toContain('Explain on mean.ts:2-2: asked in the chat (56 characters).');
  });

  it('stops generating and proposes nothing when the progress notification is cancelled', async () => {
    fixture.engine.reply = FIXED;
    const gate = fixture.engine.hold();
    const running = vscode.commands.executeCommand('jan.fixSelection');
    await expect.poll(() => fixture.engine.requests.length).toBe(1);
    ui.progress[0]!.source.cancel();
    await running;
    gate.release(Infinity);
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(/^Fix on mean\.ts:2-2: stopped by the user after 0 tokens/),
    );
    expect(ui.executed.some((call) => call.command === 'vscode.diff')).toBe(false);
    expect(document.getText()).toBe(SOURCE);
  });

  it('Explain asks in the chat with the code and where it is from', async () => {
    await vscode.commands.executeCommand('jan.explainSelection');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('mean.ts:2');
    expect(asked[0]).toContain('values.lenght');
    expect(fixture.engine.requests).toEqual([]);
  });

  it('Custom Prompt asks for the instruction first, and does nothing when it is dismissed', async () => {
    ui.answer(undefined);
    await vscode.commands.executeCommand('jan.customPromptSelection');
    expect(fixture.engine.requests).toEqual([]);
    fixture.engine.reply = FIXED;
    ui.answer('use a loop');
    ui.answer('Reject');
    await vscode.commands.executeCommand('jan.customPromptSelection');
    expect(fixture.engine.requests[0]!.messages[1]!.content).toContain('use a loop');
  });

  it('asks for a selection when there is none', async () => {
    select(1, 4, 1, 4);
    await vscode.commands.executeCommand('jan.fixSelection');
    expect(ui.messages).toEqual([{ level: 'info', text: 'Select some code first.' }]);
  });

  it('without a chat model, says so and offers to pick one', async () => {
    setSetting('jan.chatModel', '');
    ui.answer((_text: string, items: unknown) => (items as string[])[0]);
    await vscode.commands.executeCommand('jan.fixSelection');
    expect(ui.messages.at(-1)).toMatchObject({
      level: 'error',
      text: expect.stringContaining('No chat model is selected'),
    });
    expect(ui.executed.map((call) => call.command)).toContain('jan.selectChatModel');
  });
});
