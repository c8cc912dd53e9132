// Playwright helpers that drive the VS Code web workbench the way a user does: activity bar,
// command palette, notifications, output panel, editors and webview views. Selectors are the
// ones VS Code 1.139 renders (CONTRIBUTING.md, "Tests").
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(executablePath) {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

export async function newPage(browser) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // The workbench's first load compiles a lot of JavaScript: slow on 2 busy cores.
  page.setDefaultNavigationTimeout(120_000);
  return page;
}

/** Saves `<dir>/<step>.png`; never throws, a failed screenshot must not hide the real error. */
export async function screenshot(page, dir, step) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${step}.png`);
  try {
    await page.screenshot({ path: file });
    return file;
  } catch {
    return undefined;
  }
}

export async function openWorkbench(page, url) {
  await page.goto(url);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible' });
  // The explorer lists the folder once the remote file system is connected.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
}

/**
 * Runs the palette command `title`. Retries: right after load the first F1 is sometimes
 * swallowed, and a palette opened before the extensions registered lacks their commands.
 */
export async function runCommand(page, title, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  // aria-label is the title, then ", recently used" / ", <keybinding>" details.
  const row = page
    .locator(
      `.quick-input-widget .quick-input-list .monaco-list-row:is([aria-label="${title}"], [aria-label^="${title}, "])`,
    )
    .first();
  for (;;) {
    await openPalette(page, title);
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      await row.click();
      await page
        .locator('.quick-input-widget')
        .waitFor({ state: 'hidden' })
        .catch(() => undefined);
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`The palette never offered "${title}"`, { cause: error });
    }
  }
}

/** Opens the palette with `text` typed and returns its input. */
export async function openPalette(page, text) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
      break;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  await input.fill(`>${text}`);
  return input;
}

/** Labels of the palette's rows for `text` (the palette stays open; Escape closes it). */
export async function paletteLabels(page, text) {
  await openPalette(page, text);
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible' });
  const labels = await rows.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('aria-label') ?? element.textContent ?? ''),
  );
  await page.keyboard.press('Escape');
  return labels;
}

/** Clicks the activity-bar entry of a view container (e.g. "Jan") and waits for its side bar. */
export async function openViewContainer(page, title) {
  const sideBarTitle = viewContainerTitle(page, title);
  if (await sideBarTitle.isVisible()) return;
  // The activity bar toggles: a click on the container a command has just revealed would close it.
  const item = page.locator(`.part.activitybar [aria-label^="${title}"]`).first();
  const active = await item.evaluate((element) => element.closest('.action-item')?.classList.contains('checked'));
  if (!active) await item.click();
  await sideBarTitle.waitFor({ state: 'visible' });
}

/** Waits until a command has shown the view container `title` in the side bar (it must, by itself). */
export async function waitForViewContainer(page, title) {
  await viewContainerTitle(page, title).waitFor({ state: 'visible' });
}

function viewContainerTitle(page, title) {
  return page.locator('.part.sidebar .composite.title .title-label', { hasText: new RegExp(`^${title}`, 'i') });
}

/**
 * The page inside Jan's webview view: two nested iframes (host frame, then #active-frame). The host
 * frame names its extension in its URL; other webviews (a walkthrough's Markdown page) are left out.
 */
export function webviewFrame(page, extensionId = 'jan-vscode.jan-vscode') {
  return page.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).frameLocator('#active-frame');
}

/** Texts of the visible notification toasts. */
export async function notifications(page) {
  return page.locator('.notifications-toasts .notification-toast').allInnerTexts();
}

/** The text the Output panel shows (only rendered lines: keep channels short or scroll). */
export async function outputPanelText(page) {
  const lines = page.locator('.part.panel .output-view .view-lines .view-line');
  await lines.first().waitFor({ state: 'visible' });
  return (await lines.allInnerTexts()).join('\n');
}

/** The channel the Output panel shows, read from its channel picker. */
export async function outputChannelName(page) {
  const picker = page.locator('.part.panel select.monaco-select-box').first();
  await picker.waitFor({ state: 'visible' });
  return picker.evaluate((select) => select.selectedOptions[0]?.textContent ?? '');
}

/** Opens a file by clicking it in the Explorer (Ctrl+P would go to a focused webview instead). */
export async function openFileFromExplorer(page, name) {
  await page.keyboard.press('Control+Shift+E');
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  await page.locator('.editor-group-container .tab.active', { hasText: name }).waitFor({ state: 'visible' });
}

/** Types into the active editor, at its end when `atEnd`. */
export async function typeInEditor(page, text, { atEnd = false } = {}) {
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
  if (atEnd) await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** The cursor position the status bar shows ("Ln 4, Col 37") as { line, column }. */
export async function cursorPosition(page) {
  const text = await page.locator('.part.statusbar [id="status.editor.selection"]').innerText();
  const match = /Ln (\d+), Col (\d+)/.exec(text);
  if (!match) throw new Error(`No cursor position in the status bar ("${text}")`);
  return { line: Number(match[1]), column: Number(match[2]) };
}

/** Selects the editor's whole text (e.g. to run a command on a selection). */
export async function selectAllInEditor(page) {
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
}

/**
 * The whole text of the active editor, copied through the clipboard (the editor renders only the
 * lines and columns in view, so reading the DOM would miss the rest).
 */
export async function activeEditorText(page) {
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  return page.evaluate(() => navigator.clipboard.readText());
}
