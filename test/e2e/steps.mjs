// The user's journey through Jan in a real VS Code, one function per step. Each takes the run
// context ({ page, fixture, manifest, extensionId, tools, record }) and throws when what the
// user would see is wrong. run.mjs decides which steps run, in order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExtension } from './code-server.mjs';
import {
  extensionHostLogLines,
  installedExtensionDir,
  janLogLines,
  REMOTE_MODEL_ID,
  TEST_MODEL_ID,
} from './fixture.mjs';
import {
  activeEditorText,
  openFileFromExplorer,
  openViewContainer,
  waitForViewContainer,
  openWorkbench,
  outputChannelName,
  outputPanelText,
  paletteLabels,
  cursorPosition,
  runCommand,
  screenshot,
  selectAllInEditor,
  typeInEditor,
  webviewFrame,
} from './workbench.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Titles as the palette shows them ("Jan: Show Log") for commands the palette lists without a selection. */
export function paletteTitles(manifest) {
  const conditional = new Set(
    (manifest.contributes.menus?.commandPalette ?? []).filter((entry) => entry.when).map((entry) => entry.command),
  );
  return manifest.contributes.commands
    .filter((command) => !conditional.has(command.command))
    .map((command) => (command.category ? `${command.category}: ${command.title}` : command.title));
}

export async function workbenchLoads({ page, server, fixture }) {
  await openWorkbench(page, server.workbenchUrl);
  const files = await page.locator('.explorer-folders-view .monaco-list-row').allInnerTexts();
  assert.ok(
    files.some((name) => name.includes('math_utils.py')),
    `the Explorer shows the workspace (${fixture.workspace}); rows: ${files.join(', ')}`,
  );
}

export async function janViewOpensChat({ page, manifest }) {
  const container = manifest.contributes.viewsContainers.activitybar.find((entry) => entry.id === 'jan');
  const view = manifest.contributes.views.jan.find((entry) => entry.id === 'jan.chatView');
  await openViewContainer(page, container.title);
  const title = await page.locator('.part.sidebar .composite.title .title-label').innerText();
  assert.match(
    title,
    new RegExp(`${container.title}.*${view.name}`, 'i'),
    'the side bar shows the Jan container with its Chat view',
  );
  await page.locator('.part.sidebar .pane-body, .part.sidebar .webview').first().waitFor({ state: 'attached' });
}

export async function chatWebviewShowsComposer({ page }) {
  const composer = webviewFrame(page).locator('textarea[aria-label="Message to Jan"]');
  await composer.waitFor({ state: 'visible', timeout: 30_000 });
}

/** No model installed yet: the empty chat offers a download sized for the machine, and an import. */
export async function firstRunOffersModel({ page }) {
  const frame = webviewFrame(page);
  await frame
    .locator('.welcome.first-run h2', { hasText: 'Get a model to start' })
    .waitFor({ state: 'visible', timeout: 30_000 });
  await frame.getByRole('button', { name: 'Download a Model…' }).waitFor({ state: 'visible' });
  await frame.getByRole('button', { name: 'Import a GGUF File…' }).waitFor({ state: 'visible' });
}

/** The Getting Started walkthrough is contributed and opens with its six steps. */
export async function gettingStartedWalkthrough({ page, manifest }) {
  const walkthrough = manifest.contributes.walkthroughs[0];
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const row = page
    .locator(`.quick-input-widget .quick-input-list .monaco-list-row[aria-label^="${walkthrough.title}"]`)
    .first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
  const editor = page.locator('.gettingStartedContainer');
  await editor
    .locator('.getting-started-category .category-title, h2', { hasText: walkthrough.title })
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 });
  for (const step of walkthrough.steps) {
    await editor.locator('.getting-started-step', { hasText: step.title }).first().waitFor({ state: 'attached' });
  }
  await runCommand(page, 'View: Close All Editors');
}

export async function showLogOpensJanOutput({ page }) {
  await runCommand(page, 'Jan: Show Log');
  const channel = await outputChannelName(page);
  assert.match(channel, /^Jan$/, `the Output panel shows the Jan channel (shows "${channel}")`);
  await page
    .locator('.part.panel .output-view .view-line', { hasText: 'Jan started' })
    .first()
    .waitFor({ state: 'visible' });
  const text = await outputPanelText(page);
  assert.ok(!/\[error\]/.test(text), `the Jan log has no errors:\n${text}`);
}

export async function commandsInPalette({ page, manifest }) {
  const expected = paletteTitles(manifest);
  const shown = await paletteLabels(page, 'Jan: ');
  const missing = [];
  for (const title of expected.filter((title) => !shown.some((label) => label.startsWith(title)))) {
    // The palette's list is virtualized: a title can be hidden only because the list is long.
    const labels = await paletteLabels(page, title);
    if (!labels.some((label) => label.startsWith(title))) missing.push(title);
  }
  assert.deepEqual(missing, [], `the palette lists every Jan command; missing: ${missing.join(', ')}`);
}

/**
 * VS Code's own measurement of the extension's activation, from "Developer: Startup Performance":
 * the Extension Activation Stats row (code loading incl. the wait for its localized strings, the
 * activate() call, the promise it returned) and the extension host's perf marks around require().
 */
export async function measureActivation({ page, extensionId, record }) {
  await runCommand(page, 'Developer: Startup Performance');
  await page
    .locator('.editor-group-container .monaco-editor .view-line', { hasText: 'System Info' })
    .first()
    .waitFor({ state: 'visible' });
  const text = await activeEditorText(page);
  const row = text.split('\n').find((line) => line.startsWith(`| ${extensionId} `));
  assert.ok(row, `Startup Performance has an activation row for ${extensionId}`);
  const [, eager, loadCode, callActivate, finishActivate, event] = row
    .split('|')
    .map((cell) => cell.trim())
    .filter(Boolean);
  // The extension host's raw marks around require() are a snapshot taken early: present only when
  // Jan activated before it (null otherwise).
  const mark = (name) =>
    Number(new RegExp(`code/extHost/${name}/${extensionId.replace(/\./g, '\\.')}\\s+(\\d+)`).exec(text)?.[1]);
  const requireMs = mark('didLoadExtensionCode') - mark('willLoadExtensionCode');
  const stats = {
    eager: eager === 'true',
    event,
    loadCodeMs: Number(loadCode),
    callActivateMs: Number(callActivate),
    finishActivateMs: Number(finishActivate),
    requireMs: Number.isFinite(requireMs) ? requireMs : null,
  };
  assert.ok(
    Number.isFinite(stats.loadCodeMs) && Number.isFinite(stats.callActivateMs),
    `activation numbers for ${extensionId}: ${row}`,
  );
  stats.activationMs = stats.loadCodeMs + stats.callActivateMs;
  record('activation', stats);
}

/** After the journey: the extension host activated Jan without error and Jan's log has no error line. */
export async function noErrorsLogged({ fixture, extensionId }) {
  const escaped = extensionId.replace(/\./g, '\\.');
  const failures = extensionHostLogLines(
    fixture.userDataDir,
    new RegExp(`Activating extension '${escaped}' failed|\\[error\\].*${escaped}`, 'i'),
  );
  assert.deepEqual(failures, [], 'the extension host logged no error for Jan');
  const activations = extensionHostLogLines(fixture.userDataDir, new RegExp(`_doActivateExtension ${escaped}`));
  assert.ok(activations.length > 0, 'the extension host activated Jan');
  const janErrors = janLogLines(fixture.userDataDir, extensionId).filter((line) => /\[error\]/.test(line));
  assert.deepEqual(janErrors, [], "Jan's own log has no error");
}

/**
 * The installed .vsix, not the repo, provides node-llama-cpp: the extension host's Node loads it
 * from the unpacked extension and generates tokens with the test model on one thread.
 */
export async function packagedRuntimeLoadsModel({ tools, fixture, extensionId, record }) {
  const extensionDir = installedExtensionDir(fixture.extensionsDir, extensionId);
  const result = spawnSync(
    tools.node24.node,
    [path.join(here, 'packaged-runtime-check.mjs'), extensionDir, fixture.modelFile],
    {
      encoding: 'utf8',
      timeout: 120_000,
      cwd: fixture.workspace,
      env: { ...process.env, NODE_PATH: '' },
    },
  );
  assert.equal(result.status, 0, `node-llama-cpp from ${extensionDir} failed:\n${result.stdout}\n${result.stderr}`);
  const report = JSON.parse(result.stdout.trim().split('\n').pop());
  assert.ok(report.resolvedFrom.startsWith(extensionDir), `node-llama-cpp came from ${report.resolvedFrom}`);
  assert.ok(report.generatedTokens > 0, 'the model generated tokens');
  record('packagedRuntime', report);
}

/** "Jan: Import Model File…" on the test model (used where it is), then "Use for Chat" on the offer. */
export async function selectTestModel({ page, fixture }) {
  await runCommand(page, 'Jan: Import Model File…');
  await chooseFileInSimpleDialog(page, fixture.modelFile);
  await pickQuickItem(page, 'Use the file where it is');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'is ready' }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  await toast.locator('.monaco-button', { hasText: 'Use for Chat' }).click();
  await page.locator('.part.statusbar', { hasText: /stories260K/i }).waitFor({ state: 'visible' });
  const registered = readdirSync(fixture.modelsDir).filter((entry) =>
    existsSync(path.join(fixture.modelsDir, entry, 'model.json')),
  );
  assert.equal(registered.length, 1, `the model is registered in jan.modelsFolder (${fixture.modelsDir})`);
}

/**
 * code-server's open dialog is VS Code's simple file dialog: a quick input holding a path. It
 * sets its start folder asynchronously (and may overwrite what was typed), so type the path until
 * the dialog lists the file with the path still in place, then accept.
 */
async function chooseFileInSimpleDialog(page, file) {
  const input = page.locator('.quick-input-widget input');
  const listed = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: path.basename(file) })
    .first();
  await input.waitFor({ state: 'visible' });
  for (let attempt = 0; ; attempt += 1) {
    await input.fill(file);
    const shown = await listed.waitFor({ state: 'visible', timeout: 2000 }).then(
      () => true,
      () => false,
    );
    await page.waitForTimeout(300);
    if (shown && (await input.inputValue()) === file) break;
    if (attempt >= 10) throw new Error(`The file dialog never listed ${file} (its path: ${await input.inputValue()})`);
  }
  await input.press('Enter');
}

/** Clicks the row of the open quick pick whose label contains `text`. */
async function pickQuickItem(page, text) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}

function chat(page) {
  return webviewFrame(page);
}

export async function sendMessage(page, text) {
  await openViewContainer(page, 'Jan');
  const composer = chat(page).locator('textarea[aria-label="Message to Jan"]');
  await composer.click();
  await composer.fill(text);
  await composer.press('Enter');
}

/** Samples the last reply's text until it settles; returns the distinct lengths seen and its final status. */
export async function watchLastReply(page, { timeoutMs = 60_000, until = 'done' } = {}) {
  const reply = chat(page).locator('article.message-assistant').last();
  await reply.waitFor({ state: 'visible' });
  const lengths = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [text, className] = await Promise.all([
      reply
        .locator('.markdown')
        .innerText()
        .catch(() => ''),
      reply.getAttribute('class'),
    ]);
    if (lengths.at(-1) !== text.length) lengths.push(text.length);
    const status = /status-(\w+)/.exec(className ?? '')?.[1];
    if (until === 'streaming' && status === 'pending' && text.length > 0) return { lengths, status, text };
    if (status && status !== 'pending') return { lengths, status, text };
    await page.waitForTimeout(50);
  }
  throw new Error(`the reply did not finish within ${timeoutMs} ms (lengths seen: ${lengths.join(', ')})`);
}

export async function sendMessageAndWatchStream({ page, record }) {
  await sendMessage(page, 'Tell me a short story about a cat.');
  const { lengths, status, text } = await watchLastReply(page);
  assert.equal(status, 'ready', 'the reply finished');
  assert.ok(text.trim().length > 0, 'the reply has text');
  assert.ok(
    lengths.filter((length) => length > 0).length >= 2,
    `the reply streamed in (lengths seen: ${lengths.join(', ')})`,
  );
  record('stream', { distinctLengths: lengths.length, finalLength: text.length });
}

export async function stopReply({ page }) {
  await sendMessage(page, 'Tell me a very long story about a dog and a bird.');
  await watchLastReply(page, { until: 'streaming' });
  await chat(page).locator('.stop-button').click();
  const { status } = await watchLastReply(page);
  assert.equal(status, 'stopped', 'the reply shows as stopped');
  await chat(page)
    .locator('article.message-assistant')
    .last()
    .locator('.message-note', { hasText: 'Stopped' })
    .waitFor({ state: 'visible' });
}

export async function threadsOnDisk({ fixture, record }) {
  const threadsDir = path.join(fixture.workspace, '.jan', 'threads');
  assert.ok(existsSync(threadsDir), `${threadsDir} exists`);
  const threads = readdirSync(threadsDir).filter((entry) => existsSync(path.join(threadsDir, entry, 'thread.json')));
  assert.ok(threads.length > 0, 'a thread folder with thread.json');
  const thread = JSON.parse(readFileSync(path.join(threadsDir, threads[0], 'thread.json'), 'utf8'));
  assert.equal(thread.object, 'thread');
  const messages = readFileSync(path.join(threadsDir, threads[0], 'messages.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const roles = new Set(messages.map((message) => message.role));
  assert.ok(
    roles.has('user') && roles.has('assistant'),
    `messages.jsonl holds both sides (roles: ${[...roles].join(', ')})`,
  );
  record('threads', { count: threads.length, messages: messages.length, title: thread.title });
  return thread;
}

export async function reopenAndFindThread(context) {
  const { page, server } = context;
  const { title } = await threadsOnDisk(context);
  await page.reload();
  await openWorkbench(page, server.workbenchUrl);
  await openViewContainer(page, 'Jan');
  // After the reload the extension host activates Jan again: on a loaded machine, well past 20 s.
  await chat(page).locator('vscode-toolbar-button[label="Show threads"]').click({ timeout: 90_000 });
  const item = chat(page).locator('[role="listbox"] [role="option"]', { hasText: title }).first();
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  await item.click();
  await chat(page).locator('article.message-assistant').first().waitFor({ state: 'visible' });
}

/** Whether Jan's log reports `model` loaded since the extension last activated (this window's host). */
function loadedSinceActivation(fixture, extensionId, model) {
  const lines = janLogLines(fixture.userDataDir, extensionId);
  const activated = lines.findLastIndex((line) => /\] Activated in /.test(line));
  return lines.slice(activated + 1).some((line) => line.includes(`] Loaded ${model} in `));
}

/** Waits for the model to be loaded, as the user sees the "Loading…" notification end. */
async function waitForModelLoaded(fixture, extensionId, model, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!loadedSinceActivation(fixture, extensionId, model)) {
    if (Date.now() > deadline) throw new Error(`Jan did not report ${model} loaded within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Ghost text from the real model. The test model only knows stories, and in code it often
 * predicts the end of text at once, so the user here writes a story line in the README. The
 * user starts typing once the model has loaded (typing during its first load shows no ghost text
 * today, even on Alt+\: a known engine/provider race this step does not cover).
 */
export async function inlineCompletionGhostText({ page, fixture, extensionId }) {
  await runCommand(page, 'Jan: Select Completion Model');
  await pickQuickItem(page, 'stories260K');
  await waitForModelLoaded(fixture, extensionId, TEST_MODEL_ID);
  await openFileFromExplorer(page, 'README.md');
  await typeInEditor(page, '\nOnce upon a time, there was a little', { atEnd: true });
  const ghost = page.locator('.editor-group-container .monaco-editor .ghost-text-decoration').first();
  await ghost.waitFor({ state: 'visible', timeout: 30_000 });
  const typedEnd = await cursorPosition(page);
  await page.keyboard.press('Tab');
  await ghost.waitFor({ state: 'hidden' });
  // The status bar shows the new cursor position a moment after the edit.
  let accepted = typedEnd;
  for (
    const deadline = Date.now() + 5000;
    Date.now() < deadline && accepted.line === typedEnd.line && accepted.column === typedEnd.column;
  ) {
    await page.waitForTimeout(100);
    accepted = await cursorPosition(page);
  }
  assert.ok(
    accepted.line > typedEnd.line || accepted.column > typedEnd.column,
    `Tab accepted the ghost text: the cursor moved from ${JSON.stringify(typedEnd)} to ${JSON.stringify(accepted)}`,
  );
}

export async function commandOnSelection({ page }) {
  await openFileFromExplorer(page, 'math_utils.py');
  await selectAllInEditor(page);
  await runCommand(page, 'Jan: Explain Selection');
  await waitForViewContainer(page, 'Jan');
  const { status, text } = await watchLastReply(page);
  assert.equal(status, 'ready', 'the explanation finished in the chat');
  assert.ok(text.trim().length > 0, 'the explanation has text');
}

/** The quick input's title and message (an input box shows both). */
async function quickInputTexts(page) {
  const box = page.locator('.quick-input-widget');
  await box.waitFor({ state: 'visible' });
  const text = async (selector) =>
    (
      await box
        .locator(selector)
        .first()
        .innerText({ timeout: 5000 })
        .catch(() => '')
    ).trim();
  return { title: await text('.quick-input-title'), message: await text('.quick-input-message') };
}

/**
 * Ctrl+I on the blank line between the two functions, an instruction, and the answer of the real
 * test model streaming into a diff until the review: returns how many inserted lines the diff
 * showed each time that changed. The test model writes stories, not code: only the shape counts.
 */
async function inlineChatAtBlankLine(page, instruction) {
  // A review toast stays after its proposal ends (VS Code cannot close a notification): clear the
  // last one so the wait below sees this request's review, not the previous request's.
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Control+I');
  const { title, message } = await quickInputTexts(page);
  assert.match(title, /^Jan: Write at line 3 of math_utils\.py/, 'the input box says where Jan will write');
  assert.match(message, /this machine/, `the input box says where the code goes ("${message}")`);
  await page.keyboard.type(instruction);
  await page.keyboard.press('Enter');
  const tab = page.locator('.editor-group-container .tab', { hasText: 'Inline Chat: math_utils.py' });
  await tab.waitFor({ state: 'visible', timeout: 120_000 });
  const inserted = page.locator('.editor-group-container .monaco-diff-editor .editor.modified .line-insert');
  const review = page.locator('.notifications-toasts .notification-toast .notification-list-item-message', {
    hasText: /Jan proposes a change \(Inline Chat\)|Inline Chat reached its limit/,
  });
  const counts = [];
  for (const deadline = Date.now() + 120_000; !(await review.first().isVisible());) {
    const count = await inserted.count();
    if (counts.at(-1) !== count) counts.push(count);
    if (Date.now() > deadline) throw new Error(`no review within 120 s (inserted lines seen: ${counts.join(', ')})`);
    await page.waitForTimeout(50);
  }
  await inserted.first().waitFor({ state: 'visible' });
  return { tab, counts, review: await review.first().innerText() };
}

/**
 * Inline chat with the real test model: the diff streams in, Enter accepts it, and one Ctrl+Z
 * takes the file back; a second proposal is rejected with Escape and leaves the file as it was.
 */
export async function inlineChatEdit({ page, record, artifactsDir }) {
  await openFileFromExplorer(page, 'math_utils.py');
  const original = await activeEditorText(page);
  const started = Date.now();
  const accepted = await inlineChatAtBlankLine(page, 'Write a helper that prints the mean.');
  const reviewSeconds = (Date.now() - started) / 1000;
  assert.ok(
    accepted.counts.some((count) => count > 0),
    'the diff shows the inserted lines',
  );
  await screenshot(page, artifactsDir, 'inline-chat-review');
  await page.keyboard.press('Enter');
  await accepted.tab.waitFor({ state: 'hidden' });
  const edited = await activeEditorText(page);
  const lines = (text) => text.split('\n');
  assert.ok(lines(edited).length > lines(original).length, 'Enter applied the inserted lines');
  assert.ok(
    edited.startsWith(lines(original).slice(0, 2).join('\n')) && edited.endsWith(lines(original).slice(3).join('\n')),
    'the code around the cursor is as it was',
  );
  await page.keyboard.press('Control+Z');
  assert.equal(await activeEditorText(page), original, 'one Ctrl+Z undoes the whole edit');

  const rejected = await inlineChatAtBlankLine(page, 'Write a helper that prints the sum.');
  await page.keyboard.press('Escape');
  await rejected.tab.waitFor({ state: 'hidden' });
  assert.equal(await activeEditorText(page), original, 'Escape rejected it: the file is as it was');
  await page
    .locator('.editor-group-container .tab.active', { hasText: 'math_utils.py' })
    .and(page.locator(':not(.dirty)'))
    .waitFor({ state: 'visible' });
  record('inlineChat', {
    insertedLineCountsSeen: accepted.counts,
    secondsToReview: reviewSeconds,
    review: accepted.review.split('\n')[0],
  });
}

/** The webview (chat view or an editor's form) whose page holds `selector`. */
async function webviewWith(page, selector, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let index = 0; index < count; index++) {
      const frame = page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
      if ((await frame.locator(selector).count()) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(250);
  }
}

/**
 * Creates an assistant in the form, chats with it attaching a file with `@`, and finds both
 * after a reload: the thread carries the assistant's instructions, the message its attachment.
 */
export async function assistantFormAndContext({ page, fixture, server, record }) {
  await runCommand(page, 'Jan: New Assistant…');
  const form = await webviewWith(page, 'jan-assistant-form vscode-textfield[name="name"]');
  await form.locator('vscode-textfield[name="name"] input').fill('French Tutor');
  await form.locator('vscode-textarea[name="instructions"] textarea').fill('Always answer in French.');
  await form.locator('vscode-button.save').click();
  await form.locator('.form-status', { hasText: 'Saved to' }).waitFor({ state: 'visible' });
  const file = path.join(fixture.workspace, '.jan', 'assistants', 'french-tutor', 'assistant.json');
  assert.equal(
    JSON.parse(readFileSync(file, 'utf8')).instructions,
    'Always answer in French.',
    `${file} holds the instructions`,
  );
  await runCommand(page, 'View: Close Editor');

  await openViewContainer(page, 'Jan');
  await chat(page).locator('vscode-toolbar-button[label="New chat"]').click();
  await chat(page).locator('.assistant-picker').click();
  await chat(page).locator('.assistant-picker').getByRole('option', { name: 'French Tutor', exact: true }).click();
  const composer = chat(page).locator('textarea[aria-label="Message to Jan"]');
  await composer.click();
  await composer.pressSequentially('Explain @math_utils');
  await chat(page).locator('.context-option', { hasText: 'math_utils.py' }).first().click();
  await chat(page).locator('jan-composer .context-chip', { hasText: 'math_utils.py' }).waitFor({ state: 'visible' });
  await composer.pressSequentially('this file.');
  await composer.press('Enter');
  const { status } = await watchLastReply(page);
  assert.equal(status, 'ready', 'the reply finished');

  const threadsDir = path.join(fixture.workspace, '.jan', 'threads');
  const thread = readdirSync(threadsDir)
    // A thread's lock folder (`<id>.lock`) sits beside it while the store writes.
    .filter((entry) => existsSync(path.join(threadsDir, entry, 'thread.json')))
    .map((entry) => JSON.parse(readFileSync(path.join(threadsDir, entry, 'thread.json'), 'utf8')))
    .find((candidate) => candidate.assistants[0]?.assistant_id === 'french-tutor');
  assert.ok(thread, 'a thread made with the new assistant');
  assert.equal(
    thread.assistants[0].instructions,
    'Always answer in French.',
    'the thread carries the assistant instructions',
  );
  const [user] = readFileSync(path.join(threadsDir, thread.id, 'messages.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const attached = user.content
    .flatMap((part) => part.text?.annotations ?? [])
    .find((annotation) => annotation.type === 'jan_context');
  assert.equal(attached?.label, 'math_utils.py', 'the user message stores its attachment in Jan format');
  record('assistantAndContext', { thread: thread.id, attachmentTokens: attached.tokens });

  await page.reload();
  await openWorkbench(page, server.workbenchUrl);
  await openViewContainer(page, 'Jan');
  await chat(page)
    .locator('jan-message .message-user .context-chip', { hasText: 'math_utils.py' })
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 });
  const picker = await chat(page).locator('.assistant-picker').getAttribute('title');
  assert.match(picker ?? '', /French Tutor/, 'the chat still uses the new assistant after a reload');
}

/**
 * The remote engine the settings define (an OpenAI-compatible server on 127.0.0.1 streaming the
 * test model's real tokens): its model is in the chat model picker, a new chat answers through it
 * over HTTP, and the status bar says where the code goes (this server is on this machine: local).
 */
export async function remoteEngineChat({ page, remote }) {
  remote.serveModel();
  // The picker reads the servers when it opens: open it again until the model is listed.
  for (let attempt = 1; ; attempt += 1) {
    await runCommand(page, 'Jan: Select Chat Model');
    const row = page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: REMOTE_MODEL_ID })
      .first();
    const shown = await row.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (shown) {
      await row.click();
      break;
    }
    if (attempt === 6) throw new Error(`The remote model ${REMOTE_MODEL_ID} never appeared in Select Chat Model`);
    await page.keyboard.press('Escape');
  }
  // The status bar names the model as the pickers do (with or without the engine id) and says where it runs.
  await page
    .locator('.part.statusbar', { hasText: new RegExp(`${REMOTE_MODEL_ID} · local`) })
    .waitFor({ state: 'visible', timeout: 30_000 });
  await runCommand(page, 'Jan: New Chat');
  const before = remote.requests.length;
  await sendMessage(page, 'Tell me a story about a fox.');
  const { status, text } = await watchLastReply(page);
  assert.equal(status, 'ready', 'the remote reply finished');
  assert.ok(text.trim().length > 0, 'the remote reply has text');
  assert.equal(remote.requests.length, before + 1, 'the reply came from the remote server');
  assert.equal(remote.requests.at(-1).model, REMOTE_MODEL_ID);
  await chat(page).locator('.model-destination', { hasText: 'local' }).waitFor({ state: 'visible' });
}

/**
 * Example (a) of docs/EXTENDING.md, installed from its .vsix beside Jan while the workbench runs
 * (`code-server --install-extension`): Select Chat Model lists
 * its engine's model under the engine's name and the extension's, and a chat with it gets the
 * demo engine's echo back (deterministic, so the whole answer is checked).
 */
export async function exampleExtensionChat({ page, example, tools, fixture }) {
  const { MODEL } = createRequire(import.meta.url)(path.join(example.folder, 'demo-engine.js'));
  // As a user would from a terminal: the running server picks up the new extension, no reload.
  installExtension(tools, { ...fixture, vsix: example.vsix });
  const group = `Demo Engine (${example.manifest.displayName}) · local`;
  // The example registers its engine once both extensions have activated: reopen until it is listed.
  for (let attempt = 1; ; attempt += 1) {
    await runCommand(page, 'Jan: Select Chat Model');
    const list = page.locator('.quick-input-widget .quick-input-list');
    const row = list.locator('.monaco-list-row', { hasText: MODEL.name }).first();
    const shown = await row.waitFor({ state: 'visible', timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (shown) {
      await list.getByText(group, { exact: true }).waitFor({ state: 'visible' });
      await row.click();
      break;
    }
    if (attempt === 6) throw new Error(`${MODEL.name} of ${example.id} never appeared in Select Chat Model`);
    await page.keyboard.press('Escape');
  }
  await page.locator('.part.statusbar', { hasText: MODEL.name }).waitFor({ state: 'visible', timeout: 30_000 });
  await runCommand(page, 'Jan: New Chat');
  const message = 'Hello from the e2e run';
  await sendMessage(page, message);
  const { status, text } = await watchLastReply(page);
  assert.equal(status, 'ready', 'the demo reply finished');
  assert.equal(text.trim(), `You said: ${message}`, "the answer is the demo engine's echo");
}
