/**
 * `@` context in the chat view over the real controller, store and conversation service (the
 * scripted engine receives the request): the picker by keyboard, chips and their removal, a file
 * dropped on the chat, binary files refused, the message keeping its attachments through a
 * reload, and the context meter warning before old turns are left out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { contextOf, promptTextOf, textOf } from '@jan/core';
import { pageSuite } from './support/page-suite';
import { createChatHost, type ChatHost } from './support/chat-host';
import { sentMessages, setTheme } from './support/webview-page';

const pages = pageSuite();
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

function write(h: ChatHost, relative: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(h.root, relative)), { recursive: true });
  writeFileSync(path.join(h.root, relative), content);
}

async function open(): Promise<{ h: ChatHost; view: Page }> {
  const host = await createChatHost();
  pages.cleanup(() => host.dispose());
  write(host, 'CONTRIBUTING.md', '# Contributing\n\nUse tabs, not spaces.\n');
  write(host, 'src/app.ts', 'export const answer = 42;\n');
  write(host, 'assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  host.engine.reply = 'ok';
  const page = pages.track(await host.open(pages.browser.context, pages.server));
  await page.waitForSelector('jan-composer textarea:not([disabled])');
  return { h: host, view: page };
}

async function chips(view: Page, scope = 'jan-composer'): Promise<string[]> {
  return view.$$eval(`${scope} .context-chip`, (elements) =>
    elements.map(
      (element) =>
        `${element.querySelector('.context-chip-label')!.textContent!.trim()} ${element.querySelector('.context-chip-tokens')!.textContent!.trim()}`,
    ),
  );
}

async function pickerOptions(view: Page): Promise<Array<{ label: string; active: boolean }>> {
  return view.$$eval('.context-option', (elements) =>
    elements.map((element) => ({
      label: element.querySelector('.context-option-label')!.textContent!.trim(),
      active: element.getAttribute('aria-selected') === 'true',
    })),
  );
}

describe('@ context', () => {
  test('@codebase attaches the workspace code matching the message, searched when it is sent', async () => {
    const { h, view } = await open();
    write(h, 'src/unrelated.ts', 'export const colour = "blue";\n');
    const input = view.locator('jan-composer textarea');
    await input.pressSequentially('@codeb');
    await expect.poll(() => pickerOptions(view)).toEqual([{ label: 'Codebase', active: true }]);
    await input.press('Enter');
    await expect.poll(() => chips(view)).toEqual([expect.stringMatching(/^Codebase /)]);
    await input.pressSequentially('Where is the answer defined?');
    await input.press('Enter');
    await expect.poll(() => h.engine.requests.length).toBe(1);
    const prompt = JSON.stringify(h.engine.requests[0]!.messages);
    expect(prompt).toContain('src/app.ts:1: export const answer = 42;');
    expect(prompt).not.toContain('colour');
    await expect
      .poll(() => chips(view, 'jan-message'))
      .toEqual([expect.stringMatching(/^Codebase \(1 file\) ≈\d+ tokens$/)]);
  });

  test('the picker works from the keyboard; chips show tokens and can be removed; the message keeps them through a reload', async () => {
    const { h, view } = await open();
    h.port.context.selection = { path: 'src/app.ts', code: 'export const answer = 42;', startLine: 1, endLine: 1 };
    const input = view.locator('jan-composer textarea');
    await input.pressSequentially('Review this @contr');
    await expect.poll(() => pickerOptions(view)).toEqual([{ label: 'CONTRIBUTING.md', active: true }]);
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    await input.press('Enter');
    await expect.poll(() => chips(view)).toEqual(['CONTRIBUTING.md ≈10 tokens']);
    expect(await input.inputValue()).toBe('Review this ');
    expect(await view.locator('.context-picker').count()).toBe(0);

    // The editor's sources come first; arrows move, Escape closes without stopping anything.
    await input.pressSequentially('@');
    await expect
      .poll(async () => (await pickerOptions(view)).slice(0, 4).map((option) => option.label))
      .toEqual(['Current selection', 'Open editors', 'Problems', 'Git diff']);
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    expect((await pickerOptions(view)).find((option) => option.active)?.label).toBe('Problems');
    expect(await input.getAttribute('aria-activedescendant')).toBe('jan-context-picker-2');
    await input.press('ArrowUp');
    await input.press('ArrowUp');
    await input.press('Escape');
    expect(await view.locator('.context-picker').count()).toBe(0);
    await input.pressSequentially('sel');
    // Files whose path holds s…e…l may follow, as the fuzzy search finds them; the source comes first and is active.
    await expect.poll(async () => (await pickerOptions(view))[0]).toEqual({ label: 'Current selection', active: true });
    await input.press('Tab');
    await expect
      .poll(() => chips(view))
      .toEqual(['CONTRIBUTING.md ≈10 tokens', expect.stringMatching(/^Selection in src\/app\.ts:1-1 ≈\d+ tokens$/)]);

    // Removing a chip: its button, or Backspace in an empty input for the last one.
    await view.getByRole('button', { name: 'Remove Selection in src/app.ts:1-1' }).click();
    await expect.poll(() => chips(view)).toEqual(['CONTRIBUTING.md ≈10 tokens']);
    expect((await sentMessages(view)).filter((message) => message.type === 'detachContext')).toHaveLength(1);
    await input.fill('');
    await input.press('Backspace');
    await expect.poll(() => chips(view)).toEqual([]);
    await input.pressSequentially('@CONTRIB');
    await expect.poll(() => pickerOptions(view)).toEqual([{ label: 'CONTRIBUTING.md', active: true }]);
    await input.press('Enter');
    await expect.poll(() => chips(view)).toHaveLength(1);

    await input.pressSequentially('What are the rules?');
    await input.press('Enter');
    await expect.poll(() => h.engine.requests.length).toBe(1);
    const prompt = h.engine.requests[0]!.messages.at(-1)!.content;
    expect(prompt).toMatch(/^CONTRIBUTING\.md:\n```\n# Contributing\n\nUse tabs, not spaces\.\n```\n\n/);
    expect(prompt.endsWith('What are the rules?')).toBe(true);
    await expect.poll(() => chips(view)).toEqual([]);

    const thread = (await h.conversational.listThreads()).threads[0]!;
    const stored = (await h.conversational.listMessages(thread.id)).messages[0]!;
    expect(textOf(stored)).toBe('What are the rules?');
    expect(contextOf(stored)).toEqual([
      expect.objectContaining({ kind: 'file', label: 'CONTRIBUTING.md', tokens: 10 }),
    ]);
    expect(promptTextOf(stored)).toBe(prompt);
    // The thread title comes from what was typed, not from the attachment.
    await expect.poll(async () => (await h.conversational.getThread(thread.id))?.title).toBe('What are the rules?');

    await h.reopen(view);
    await view.waitForSelector('jan-message .message-user .context-chip');
    expect(await chips(view, 'jan-message .message-user')).toEqual(['CONTRIBUTING.md ≈10 tokens']);
    expect(await view.locator('jan-message .message-user .markdown').innerText()).toBe('What are the rules?');
  });

  test('a file dropped on the chat is attached; a binary file is refused with a clear message', async () => {
    const { h, view } = await open();
    await view.evaluate(
      (uri) => {
        const data = new DataTransfer();
        data.setData('text/uri-list', uri);
        document
          .querySelector('jan-composer .composer')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      pathToFileURL(path.join(h.root, 'src/app.ts')).href,
    );
    await expect.poll(() => chips(view)).toEqual(['src/app.ts ≈7 tokens']);

    const input = view.locator('jan-composer textarea');
    await input.pressSequentially('@logo');
    await expect.poll(() => pickerOptions(view)).toEqual([{ label: 'logo.png', active: true }]);
    await input.press('Enter');
    await view.waitForSelector('.toast-error');
    expect(await view.locator('.toast-error .toast-text').innerText()).toMatch(
      /^assets\/logo\.png: not attached: a binary file \(8 B\); only text files can be attached\.$/,
    );
    expect(await chips(view)).toEqual(['src/app.ts ≈7 tokens']);
  });

  test('the meter counts instructions, history and attachments, and warns before old turns are left out; screenshots', async () => {
    const { h, view } = await open();
    await view.waitForSelector('jan-context-meter .context-meter');
    // 4096-token context (the engine setting), a quarter kept for the reply.
    expect(await view.locator('.context-meter-text').innerText()).toBe('≈0 / 3.1k');
    expect(await view.locator('.context-meter').getAttribute('class')).toContain('meter-ok');

    write(h, 'notes/long.md', 'word '.repeat(2000));
    const input = view.locator('jan-composer textarea');
    await input.pressSequentially('@long.md');
    await expect.poll(async () => (await pickerOptions(view))[0]).toEqual({ label: 'long.md', active: true });
    await input.press('Enter');
    await expect.poll(() => view.locator('.context-meter').getAttribute('class')).toContain('meter-warn');
    expect(await view.locator('.context-meter-warning').innerText()).toContain('Nearly full');

    write(h, 'notes/longer.md', 'word '.repeat(4000));
    await input.pressSequentially('@longer');
    await expect.poll(async () => (await pickerOptions(view))[0]).toEqual({ label: 'longer.md', active: true });
    await input.press('Enter');
    await expect.poll(() => view.locator('.context-meter').getAttribute('class')).toContain('meter-over');
    expect(await view.locator('.context-meter-warning').innerText()).toContain('the oldest turns will be left out');

    // Removing the attachment lowers the meter at once.
    await view.getByRole('button', { name: 'Remove notes/longer.md' }).click();
    await expect.poll(() => view.locator('.context-meter').getAttribute('class')).toContain('meter-warn');

    mkdirSync(ARTIFACTS, { recursive: true });
    await input.pressSequentially('Check @');
    await view.waitForSelector('.context-option');
    for (const theme of ['dark', 'light', 'high-contrast'] as const) {
      await setTheme(view, theme);
      await view.screenshot({ path: path.join(ARTIFACTS, `context-picker-${theme}.png`) });
    }
  });
});
