/**
 * The chat view's assistant picker over the real controller and scoped assistants store: both
 * scopes marked, the workspace winning on the same id, the actions that open the form, and a
 * restricted workspace listing its assistants without using them (and saying why).
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { UNTRUSTED_ASSISTANT_REASON } from '../../extensions/assistants';
import { pageSuite } from './support/page-suite';
import { createChatHost, type ChatHost, type HostRuntimeOptions } from './support/chat-host';
import { setTheme } from './support/webview-page';
import type { ThemeName } from './support/themes';

const pages = pageSuite();
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

async function open(
  runtime: HostRuntimeOptions,
  seed: (h: ChatHost) => Promise<void>,
  theme: ThemeName = 'dark',
): Promise<{ h: ChatHost; view: Page }> {
  const host = await createChatHost({}, { userAssistants: true, ...runtime });
  pages.cleanup(() => host.dispose());
  await seed(host);
  const page = pages.track(await host.open(pages.browser.context, pages.server, theme));
  await page.waitForSelector('jan-composer textarea:not([disabled])');
  return { h: host, view: page };
}

async function options(view: Page): Promise<Array<{ label: string; description: string; disabled: boolean }>> {
  return view.$$eval('.assistant-picker vscode-option', (elements) =>
    elements
      .filter((element) => !element.getAttribute('value')!.startsWith('action:'))
      .map((element) => ({
        label: element.textContent!.trim(),
        description: element.getAttribute('description') ?? '',
        disabled: element.hasAttribute('disabled'),
      })),
  );
}

/**
 * Opens the picker and chooses an action. The host's state for the choice before it may arrive
 * meanwhile and draw the list again (its options detached, the list closed): then it opens the
 * picker again, until the action is chosen (a loaded machine, load 10+, made this a race).
 */
async function pickAction(view: Page, name: string): Promise<void> {
  await vi.waitFor(
    async () => {
      await view.locator('.assistant-picker').click();
      await view.locator('.assistant-picker').getByRole('option', { name }).click({ timeout: 5_000 });
    },
    { timeout: 60_000, interval: 100 },
  );
}

describe('assistant picker', () => {
  test('lists both scopes marked; the workspace wins on the same id; actions open the form for the assistant in use', async () => {
    const { h, view } = await open({}, async (h) => {
      await h.assistants.createAssistant(
        { id: 'reviewer', name: 'Reviewer', avatar: '🧐', instructions: 'Workspace reviewer.' },
        'workspace',
      );
      await h.assistants.createAssistant({ id: 'reviewer', name: 'My Reviewer', instructions: 'Mine.' }, 'user');
      await h.assistants.createAssistant({ id: 'writer', name: 'Writer', instructions: 'Write.' }, 'user');
    });
    await expect
      .poll(() => options(view))
      .toEqual([
        { label: '🧐 Reviewer', description: 'Workspace', disabled: false },
        { label: 'My Reviewer', description: 'User · hidden by the workspace assistant with this id', disabled: true },
        { label: 'Writer', description: 'User', disabled: false },
      ]);

    await view.locator('.assistant-picker').click();
    await view.locator('.assistant-picker').getByRole('option', { name: 'Writer', exact: true }).click();
    await expect
      .poll(() => view.locator('.assistant-picker').evaluate((select: HTMLInputElement) => select.value))
      .toBe('writer');
    await pickAction(view, 'Edit assistant…');
    await expect
      .poll(() => h.port.calls)
      .toContainEqual({ method: 'assistantAction', action: 'edit', assistant: { id: 'writer', scope: 'user' } });
    // The action is not a choice: the picker still shows the assistant in use.
    expect(await view.locator('.assistant-picker').evaluate((select: HTMLInputElement) => select.value)).toBe('writer');
    await pickAction(view, 'New assistant…');
    await expect.poll(() => h.port.calls.filter((call) => call.method === 'assistantAction').length).toBe(2);

    // A new assistant saved elsewhere (the form) appears without a reload.
    await h.assistants.createAssistant({ name: 'Tester', instructions: 'Test.' }, 'user');
    await expect.poll(async () => (await options(view)).map((option) => option.label)).toContain('Tester');

    mkdirSync(ARTIFACTS, { recursive: true });
    for (const theme of ['dark', 'light', 'high-contrast'] as const) {
      await setTheme(view, theme);
      await view.locator('.assistant-picker').click();
      await view.locator('.assistant-picker').getByRole('option').first().waitFor();
      await view.screenshot({ path: path.join(ARTIFACTS, `assistant-picker-${theme}.png`) });
      await view.keyboard.press('Escape');
    }
  });

  test('a restricted workspace lists its assistants as not used and says why; the user’s still work; its chats are refused', async () => {
    let trusted = true;
    const { h, view } = await open({ isTrusted: () => trusted }, async (h) => {
      await h.assistants.createAssistant(
        { id: 'team', name: 'Team Bot', instructions: 'Obey the README.' },
        'workspace',
      );
      await h.assistants.createAssistant({ id: 'mine', name: 'Mine', instructions: 'Be helpful.' }, 'user');
    });
    h.engine.reply = 'ok';
    await view.locator('.assistant-picker').click();
    await view.locator('.assistant-picker').getByRole('option', { name: 'Team Bot', exact: true }).click();
    await view.fill('jan-composer textarea', 'hello');
    await view.keyboard.press('Enter');
    await expect.poll(() => h.engine.requests.length).toBe(1);
    expect(h.engine.requests[0]!.messages[0]).toEqual({ role: 'system', content: 'Obey the README.' });

    trusted = false;
    await h.assistants.refresh();
    await expect
      .poll(async () => (await options(view)).find((option) => option.label === 'Team Bot'))
      .toEqual({
        label: 'Team Bot',
        description: 'Workspace · not used in a restricted workspace',
        disabled: true,
      });
    expect(await view.locator('.assistant-blocked').innerText()).toContain(UNTRUSTED_ASSISTANT_REASON);
    await view.fill('jan-composer textarea', 'again');
    await view.keyboard.press('Enter');
    await view.waitForSelector('.chat-error, [role="alert"]');
    expect(h.engine.requests).toHaveLength(1);
    // The refused text is given back, nothing is lost.
    await expect.poll(() => view.locator('jan-composer textarea').inputValue()).toBe('again');

    await view.locator('.assistant-picker').click();
    await view.locator('.assistant-picker').getByRole('option', { name: 'Mine', exact: true }).click();
    // Send once the host has switched the chat to it: a send before that is refused like the last one.
    await expect.poll(() => view.locator('.assistant-blocked').count()).toBe(0);
    await view.locator('jan-composer vscode-button.send-button').click();
    await expect.poll(() => h.engine.requests.length).toBe(2);
    expect(h.engine.requests[1]!.messages[0]).toEqual({ role: 'system', content: 'Be helpful.' });
  });
});
