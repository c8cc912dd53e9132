/**
 * Agent mode in real Chromium, wired to the real controller, conversation service, agent loop
 * and workspace tools on a temp workspace (only the engine is scripted, so the model's calls are
 * the test's): the Chat / Agent switch, steps as they happen, inline approval with the diff,
 * Allow once / Always / Deny with a reason, Stop while asking, and reverting the turn's checkpoint.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { pageSuite } from './support/page-suite';
import { createChatHost, type ChatHost } from './support/chat-host';
import { accessibilityViolations, sentMessages, setTheme } from './support/webview-page';
import { THEME_NAMES } from './support/themes';

const pages = pageSuite();
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

async function open(): Promise<{ host: ChatHost; page: Page }> {
  const host = await createChatHost();
  pages.cleanup(() => host.dispose());
  const page = pages.track(await host.open(pages.browser.context, pages.server));
  await page.waitForSelector('jan-composer textarea:not([disabled])');
  return { host, page };
}

/** Switches to Agent with the keyboard: the checked option is the group's one tab stop. */
async function chooseAgent(view: Page): Promise<void> {
  await view.getByRole('radio', { name: 'Chat' }).focus();
  await view.keyboard.press('ArrowRight');
  await view.waitForSelector('.mode-option[data-mode="agent"][aria-checked="true"]:focus');
}

async function send(view: Page, text: string): Promise<void> {
  const input = view.locator('jan-composer textarea');
  await input.fill(text);
  await input.press('Enter');
}

const EDIT = { path: 'notes.txt', edits: [{ search: 'hello', replace: 'goodbye' }] };

/**
 * Opens the chat on a workspace with `notes.txt` ("hello"), scripts the model to edit it and then
 * answer, and sends an agent message; `prepare` sets the editor's side first (trust, review mode).
 */
async function editTurn(
  prepare: (h: ChatHost) => void = () => {},
): Promise<{ host: ChatHost; page: Page; file: string }> {
  const opened = await open();
  prepare(opened.host);
  const file = path.join(opened.host.root, 'notes.txt');
  writeFileSync(file, 'hello\n');
  opened.host.engine.replies = [{ calls: [{ name: 'edit_file', arguments: EDIT }] }, 'Done.'];
  await chooseAgent(opened.page);
  await send(opened.page, 'edit');
  return { ...opened, file };
}

describe('agent mode', () => {
  test('the switch is keyboard-driven and remembered; a chat message carries no mode, an agent one does', async () => {
    const { host, page } = await open();
    expect(await page.getByRole('radio', { name: 'Chat' }).getAttribute('aria-checked')).toBe('true');
    await send(page, 'just chat');
    await page.waitForSelector('jan-message .message-assistant.status-ready');
    await chooseAgent(page);
    expect(await page.locator('jan-composer textarea').getAttribute('placeholder')).toContain('Tell Jan');
    await send(page, 'now act');
    await page.waitForFunction(
      () => document.querySelectorAll('jan-message .message-assistant.status-ready').length >= 2,
    );
    const sends = (await sentMessages<{ type: string; mode?: string }>(page)).filter((m) => m.type === 'send');
    expect(sends.map((message) => message.mode)).toEqual([undefined, 'agent']);
    // An agent turn offers the workspace tools to the model; a chat turn offers none.
    const [chat, agent] = host.engine.requests;
    expect(chat!.tools).toBeUndefined();
    expect(agent!.tools?.map((tool) => tool.name)).toContain('edit_file');
    await host.reopen(page);
    await page.waitForSelector('.mode-option[data-mode="agent"][aria-checked="true"]');
  });

  test('steps show live; a write waits for approval with its diff; Allow once writes; the checkpoint reverts it', async () => {
    const { host, page } = await open();
    const file = path.join(host.root, 'notes.txt');
    writeFileSync(file, 'hello\nworld\n');
    host.engine.replies = [
      { calls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] },
      { calls: [{ name: 'edit_file', arguments: EDIT }] },
      'Changed the greeting.',
    ];
    await chooseAgent(page);
    await send(page, 'Say goodbye in notes.txt');

    const approval = page.locator('.agent-approval');
    await approval.waitFor();
    // The read ran without asking and is stored as a finished step in the thread; the edit waits in the panel.
    await page.waitForSelector('jan-message .agent-step.outcome-ok .step-tool:text("read_file")');
    expect(await page.locator('jan-agent-turn .agent-step .step-tool').allTextContents()).toEqual(['edit_file']);
    expect(await page.locator('jan-agent-turn .agent-step .step-summary').allTextContents()).toEqual(['running…']);
    expect(await approval.locator('.approval-title').innerText()).toContain('edit_file');
    expect(await page.locator('jan-agent-turn [aria-live]').textContent()).toContain('approval to run edit_file');
    expect(await approval.locator('.diff-removed').allTextContents()).toEqual(['-hello']);
    expect(await approval.locator('.diff-added').allTextContents()).toEqual(['+goodbye']);
    expect(readFileSync(file, 'utf8')).toBe('hello\nworld\n');
    await approval.getByRole('button', { name: 'Open in diff editor' }).click();
    await expect
      .poll(() => host.port.agent.diffs)
      .toEqual([{ path: 'notes.txt', before: 'hello\nworld\n', after: 'goodbye\nworld\n' }]);
    // Each step expands (a native details) to its arguments.
    const step = page.locator('jan-agent-turn .agent-step').first();
    await step.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await step.locator('.step-arguments').innerText()).toContain('notes.txt');

    await approval.locator('vscode-button.approve-once').click();
    await page.waitForSelector('.agent-checkpoint .revert-checkpoint');
    expect(readFileSync(file, 'utf8')).toBe('goodbye\nworld\n');
    expect(await page.locator('.checkpoint-files').innerText()).toContain('notes.txt');
    // The stored steps are drawn in the thread, with their one-line results.
    await page.waitForSelector('jan-message .agent-step .step-tool:text("edit_file")');
    expect(await page.locator('jan-message .agent-step.outcome-ok').count()).toBe(2);
    expect(host.port.agent.always.size).toBe(0);

    await page.locator('.revert-checkpoint').click();
    await page.waitForSelector('.agent-checkpoint[role="status"]');
    expect(readFileSync(file, 'utf8')).toBe('hello\nworld\n');
    expect(await page.locator('.agent-checkpoint').innerText()).toContain('Reverted the changes to 1 file');
  });

  test('a file the user changed after the turn is left alone by the revert and named', async () => {
    const { page, file } = await editTurn();
    await page.locator('.agent-approval vscode-button.approve-once').click();
    await page.waitForSelector('.revert-checkpoint');
    writeFileSync(file, 'goodbye, and the user typed more\n');
    await page.locator('.revert-checkpoint').click();
    await page.waitForSelector('.agent-checkpoint[role="status"]');
    expect(await page.locator('.agent-checkpoint').innerText()).toContain('except notes.txt');
    expect(readFileSync(file, 'utf8')).toBe('goodbye, and the user typed more\n');
  });

  test('Deny sends the reason to the model and writes nothing; Always is remembered and not asked again', async () => {
    const { host, page, file } = await editTurn();
    await page.locator('.approval-reason').fill('keep the greeting');
    await page.locator('.agent-approval vscode-button.deny').click();
    await page.waitForSelector('jan-message .agent-step.outcome-denied');
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
    await expect.poll(() => host.engine.requests.length).toBe(2);
    const toolAnswer = host.engine.requests.at(-1)!.messages.find((message) => message.role === 'tool');
    expect(toolAnswer?.content).toContain('keep the greeting');
    expect(await page.locator('jan-message .agent-step.outcome-denied .step-summary').innerText()).toContain(
      'keep the greeting',
    );

    host.engine.replies = [{ calls: [{ name: 'edit_file', arguments: EDIT }] }, 'Done.'];
    await send(page, 'edit again');
    await page.locator('.agent-approval vscode-button.approve-always').click();
    await page.waitForSelector('.revert-checkpoint');
    expect([...host.port.agent.always]).toEqual(['jan/edit_file']);
    writeFileSync(file, 'hello\n');
    host.engine.replies = [{ calls: [{ name: 'edit_file', arguments: EDIT }] }, 'Done.'];
    await send(page, 'and once more');
    await page.waitForFunction(() => document.querySelectorAll('jan-message .agent-step.outcome-ok').length >= 2);
    expect(readFileSync(file, 'utf8')).toBe('goodbye\n');
    expect(await page.locator('.agent-approval').count()).toBe(0);
  });

  test('with edits reviewed after, a built-in edit runs without asking and the turn shows its diff', async () => {
    const { host, page, file } = await editTurn((h) => (h.port.agent.editsAfter = true));
    await page.waitForSelector('.revert-checkpoint');
    expect(readFileSync(file, 'utf8')).toBe('goodbye\n');
    expect(await page.locator('.agent-approval').count()).toBe(0);
    await page.locator('.checkpoint-changes summary').click();
    expect(await page.locator('.checkpoint-changes .diff-added').allTextContents()).toEqual(['+goodbye']);
    expect(host.port.agent.always.size).toBe(0);
  });

  test('a page loaded again (the view hidden and shown) shows the call still waiting, and its answer counts', async () => {
    const { host, page, file } = await editTurn();
    await page.locator('.agent-approval').waitFor();
    await host.reopen(page);
    await page.locator('.agent-approval vscode-button.approve-once').click();
    await page.waitForSelector('.revert-checkpoint');
    expect(readFileSync(file, 'utf8')).toBe('goodbye\n');
  });

  test('without an open folder an agent message is not sent and its text comes back', async () => {
    const { host, page } = await open();
    host.port.agent.root = '';
    await chooseAgent(page);
    await send(page, 'do something');
    await page.waitForSelector('text=Open a folder to use Agent mode');
    await expect.poll(() => page.locator('jan-composer textarea').inputValue()).toBe('do something');
    expect(host.engine.requests).toHaveLength(0);
  });

  test('Stop while a call waits for approval ends the turn and writes nothing', async () => {
    const { page, file } = await editTurn();
    await page.locator('.agent-approval').waitFor();
    await page.getByRole('button', { name: 'Stop generating' }).click();
    await page.waitForSelector('.agent-approval', { state: 'detached' });
    await page.waitForSelector('jan-composer .send-button');
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
  });

  test('a command waits with its command line shown, and runs once allowed', async () => {
    const { host, page } = await open();
    host.engine.replies = [
      { calls: [{ name: 'run_command', arguments: { command: 'echo from-the-agent' } }] },
      'Ran it.',
    ];
    await chooseAgent(page);
    await send(page, 'run it');
    const approval = page.locator('.agent-approval');
    await approval.waitFor();
    expect(await approval.locator('.approval-command').textContent()).toBe('$ echo from-the-agent');
    expect(await approval.locator('.approval-title').innerText()).toContain('run a command');
    await approval.locator('vscode-button.approve-once').click();
    await page.waitForSelector('jan-message .agent-step.outcome-ok .step-tool:text("run_command")');
    await expect.poll(() => host.engine.requests.length).toBe(2);
    const toolAnswer = host.engine.requests[1]!.messages.find((message) => message.role === 'tool');
    expect(toolAnswer?.content).toContain('from-the-agent');
  });

  test('an untrusted workspace offers no run command and does not offer Always', async () => {
    const { host, page } = await editTurn((h) => {
      h.port.agent.trusted = false;
      h.port.agent.always.add('jan/edit_file');
    });
    const approval = page.locator('.agent-approval');
    await approval.waitFor();
    expect(await approval.locator('vscode-button.approve-always').count()).toBe(0);
    expect(await approval.innerText()).toContain('not trusted');
    expect(host.engine.requests.at(-1)!.tools?.map((tool) => tool.name)).not.toContain('run_command');
    await approval.locator('vscode-button.approve-once').click();
    await page.waitForSelector('.revert-checkpoint');
  });

  test('the approval card and the steps in the four themes: no accessibility violations', async () => {
    const { host, page } = await open();
    writeFileSync(path.join(host.root, 'notes.txt'), 'hello\n');
    host.engine.replies = [
      { calls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] },
      { calls: [{ name: 'edit_file', arguments: EDIT }] },
      'Done.',
    ];
    await chooseAgent(page);
    await send(page, 'edit');
    await page.locator('.agent-approval').waitFor();
    for (const theme of THEME_NAMES) {
      await setTheme(page, theme);
      await page.mouse.move(0, 0);
      expect(await accessibilityViolations(page), `${theme}: the approval`).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `agent-approval-${theme}.png`) });
    }
    await page.locator('.agent-approval vscode-button.approve-once').click();
    await page.waitForSelector('.revert-checkpoint');
  });
});
