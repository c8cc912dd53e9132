// The agent step of the user's journey: an Agent-mode turn on the remote engine reads a file,
// edits it after the user allows it inline, and the user reverts the turn's checkpoint. The
// e2e's server answers requests that offer tools from the script below (test/e2e/openai-server.mjs):
// what is checked is the editor's side of the loop, not whether the test model can call tools.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sendMessage, watchLastReply } from './steps.mjs';
import { runCommand, screenshot, webviewFrame } from './workbench.mjs';

const FILE = 'math_utils.py';
const MEAN = 'def mean(values):\n    return sum(values) / len(values)';
const GUARDED = 'def mean(values):\n    if not values:\n        return 0.0\n    return sum(values) / len(values)';
const ANSWER = 'mean() now returns 0.0 for an empty list.';

/** The scripted model: read the file, then edit it, then answer; chosen by the tool results so far. */
function agentScript(body) {
  const results = (body.messages ?? []).filter((message) => message.role === 'tool').length;
  if (results === 0) return { toolCalls: [{ name: 'read_file', arguments: { path: FILE } }] };
  if (results === 1)
    return {
      toolCalls: [{ name: 'edit_file', arguments: { path: FILE, edits: [{ search: MEAN, replace: GUARDED }] } }],
    };
  return { content: ANSWER };
}

/** Waits until the file's bytes on disk pass `check` (the editor saves after its workspace edit). */
async function waitForFile(file, check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bytes = readFileSync(file);
    if (check(bytes)) return bytes;
    if (Date.now() > deadline) throw new Error(`${file} never ${what}; it holds:\n${bytes.toString('utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function agentEditAndRevert({ page, fixture, remote, artifactsDir, record }) {
  const file = path.join(fixture.workspace, FILE);
  const original = readFileSync(file);
  assert.ok(original.toString('utf8').includes(MEAN), `${file} holds mean() as the fixture wrote it`);
  remote.scriptToolReplies(agentScript);
  const before = remote.requests.length;
  await runCommand(page, 'Jan: New Chat');

  const view = webviewFrame(page);
  // The user switches the composer to Agent with the keyboard: focus the mode group, arrow right.
  await view.getByRole('radio', { name: 'Chat' }).focus();
  await page.keyboard.press('ArrowRight');
  await view.locator('.mode-switch [data-mode="agent"][aria-checked="true"]').waitFor({ state: 'visible' });
  await sendMessage(page, `Make mean() in ${FILE} safe for an empty list.`);

  await view.locator('.agent-step', { hasText: 'read_file' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  const approval = view.locator('.agent-approval');
  await approval.waitFor({ state: 'visible', timeout: 60_000 });
  assert.match(await approval.locator('.approval-title').innerText(), /edit_file/, 'the approval names the tool');
  const added = await approval.locator('.diff-added').allTextContents();
  assert.ok(
    added.some((line) => line.includes('if not values:')),
    `the approval shows the edit's diff (added lines: ${added.join(' | ')})`,
  );
  assert.deepEqual(readFileSync(file), original, 'nothing is written before the user allows it');
  await screenshot(page, artifactsDir, 'agent-approval');
  await approval.locator('vscode-button.approve-once').click();

  const revert = view.locator('.agent-checkpoint .revert-checkpoint');
  await revert.waitFor({ state: 'visible', timeout: 60_000 });
  await waitForFile(file, (bytes) => bytes.toString('utf8').includes(GUARDED), 'held the edit');
  const { status, text } = await watchLastReply(page);
  assert.equal(status, 'ready', 'the agent turn finished');
  assert.ok(text.includes(ANSWER), `the turn ends with the (scripted) answer: ${text}`);
  await view.locator('jan-message .agent-step.outcome-ok', { hasText: 'edit_file' }).first().waitFor();

  const scripted = remote.requests.slice(before).filter((request) => request.tools?.length > 0);
  const offered = scripted[0]?.tools.map((tool) => tool.function.name) ?? [];
  assert.ok(offered.includes('read_file') && offered.includes('edit_file'), `tools offered: ${offered.join(', ')}`);
  assert.equal(scripted.length, 3, 'three model steps: read, edit, answer');
  const lastResult = (request) => {
    const content = request.messages.findLast((message) => message.role === 'tool')?.content ?? '';
    return typeof content === 'string' ? content : content.map((part) => part.text ?? '').join('');
  };
  assert.ok(lastResult(scripted[1]).includes(MEAN), 'the model got the file read from disk');
  assert.match(lastResult(scripted[2]), /Edited math_utils\.py/, 'the model got the edit result');
  await screenshot(page, artifactsDir, 'agent-checkpoint');

  await revert.click();
  await view
    .locator('.agent-checkpoint[role="status"]', { hasText: 'Reverted the changes to 1 file' })
    .waitFor({ state: 'visible', timeout: 30_000 });
  await waitForFile(file, (bytes) => bytes.equals(original), 'went back to its original bytes');
  // Back to Chat, as the later steps (and a user done with the agent) chat.
  await view.getByRole('radio', { name: 'Agent' }).focus();
  await page.keyboard.press('ArrowLeft');
  await view.locator('.mode-switch [data-mode="chat"][aria-checked="true"]').waitFor({ state: 'visible' });
  record('agent', { modelRequests: scripted.length, toolsOffered: offered.length });
}
