/**
 * Issue 25's chat view fixes in real Chromium over the real controller, store and conversation
 * service (only the engine is scripted): a reply cut by the token limit says so and continues;
 * the pickers stay readable at the default side-bar width; `@` Git diff outside a repository
 * says so in words. Screenshots of each in the four themes go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { textOf } from '@jan/core';
import { pageSuite } from './support/page-suite';
import { createChatHost, type ChatHost } from './support/chat-host';
import { accessibilityViolations, setTheme } from './support/webview-page';
import { THEME_NAMES } from './support/themes';

const pages = pageSuite();
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));

async function open(): Promise<{ host: ChatHost; page: Page }> {
  const host = await createChatHost();
  pages.cleanup(() => host.dispose());
  const page = pages.track(await host.open(pages.browser.context, pages.server, 'dark'));
  await page.waitForSelector('jan-composer textarea:not([disabled])');
  return { host, page };
}

async function send(view: Page, text: string): Promise<void> {
  const input = view.locator('jan-composer textarea');
  await input.fill(text);
  await input.press('Enter');
}

describe('a reply cut by the token limit', () => {
  test('ends with a note and Continue, which writes on in the same reply', async () => {
    const { host, page } = await open();
    host.port.defaultMaxTokens = 4;
    host.engine.replies = ['one two three four five six', ' seven eight'];
    await send(page, 'Count for me');
    const note = page.locator('.message-assistant .message-cut');
    await note.waitFor();
    expect(await note.innerText()).toContain('The reply stopped at the token limit (4 tokens).');
    await page.mouse.move(0, 0);
    for (const theme of THEME_NAMES) {
      await setTheme(page, theme);
      expect(await accessibilityViolations(page), `${theme}: the cut reply`).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `continue-${theme}.png`) });
    }
    await setTheme(page, 'dark');

    await note.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(async () => page.locator('.message-assistant .markdown').innerText())
      .toBe('one two three four seven eight');
    await expect.poll(() => note.count()).toBe(0);
    const threadId = (await host.conversational.listThreads()).threads[0]!.id;
    // The view shows the final text before the reply is saved: wait for the store.
    await expect
      .poll(async () =>
        (await host.conversational.listMessages(threadId)).messages.map((message) => [message.role, textOf(message)]),
      )
      .toEqual([
        ['user', 'Count for me'],
        ['assistant', 'one two three four seven eight'],
      ]);
  });

  test('only the last reply offers Continue; an older cut reply keeps its note', async () => {
    const { host, page } = await open();
    host.port.defaultMaxTokens = 2;
    host.engine.replies = ['one two three', 'four five six'];
    await send(page, 'First');
    await page.locator('.message-cut').waitFor();
    await send(page, 'Second');
    await expect.poll(() => page.locator('.message-cut').count()).toBe(2);
    expect(await page.locator('.message-cut').first().getByRole('button').count()).toBe(0);
    expect(await page.locator('.message-cut').last().getByRole('button', { name: 'Continue' }).count()).toBe(1);
  });
});

describe('the default side-bar width', () => {
  test('the model picker and its options show whole model names at 300 px; the assistant picker wraps below', async () => {
    const { host, page } = await open();
    await page.setViewportSize({ width: 300, height: 600 });
    const truncated = (selector: string) =>
      page.evaluate((inner) => {
        const select = document.querySelector('.model-picker')!;
        return [...select.shadowRoot!.querySelectorAll<HTMLElement>(inner)]
          .filter((element) => element.getClientRects().length > 0)
          .map((element) => ({ text: element.textContent?.trim(), cut: element.scrollWidth > element.clientWidth }));
      }, selector);
    await expect.poll(() => truncated('.select-face .text')).toEqual([{ text: 'Default (Stories 260K)', cut: false }]);
    const model = await page.locator('.model-picker').boundingBox();
    const assistant = await page.locator('.assistant-picker').boundingBox();
    expect(assistant!.y).toBeGreaterThan(model!.y);
    await page.locator('.model-picker').click();
    await expect.poll(async () => (await truncated('li.option')).length).toBeGreaterThan(1);
    expect(await truncated('li.option')).toEqual(
      ['Default (Stories 260K)', 'Stories 260K', 'TinyStories 656K'].map((text) => ({ text, cut: false })),
    );
    for (const theme of THEME_NAMES) {
      await setTheme(page, theme);
      await page.screenshot({ path: path.join(ARTIFACTS, `narrow-pickers-${theme}.png`) });
    }
    await page.keyboard.press('Escape');
    expect(host.logs.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});

describe('@ Git diff', () => {
  test('outside a repository says so in words, not in git output', async () => {
    const { host, page } = await open();
    process.env.GIT_CEILING_DIRECTORIES = path.dirname(host.root);
    try {
      const input = page.locator('jan-composer textarea');
      await input.pressSequentially('@');
      await page.locator('.context-picker').getByText('Git diff').click();
      const toast = page.locator('.toast[role="alert"], .toast').first();
      await expect
        .poll(async () => toast.innerText())
        .toContain('is not in a Git repository, so there is no diff to attach.');
      expect(await toast.innerText()).not.toMatch(/fatal:/);
      for (const theme of THEME_NAMES) {
        await setTheme(page, theme);
        await page.screenshot({ path: path.join(ARTIFACTS, `git-diff-outside-repository-${theme}.png`) });
      }
    } finally {
      delete process.env.GIT_CEILING_DIRECTORIES;
    }
  });
});
