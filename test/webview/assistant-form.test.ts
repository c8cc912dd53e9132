/**
 * The assistant form in real Chromium, wired to the real form controller over the real scoped
 * assistants store in a temp folder: validation next to the fields, saving (new and edited,
 * unknown fields kept), Open JSON, and the three themes (screenshots in test-artifacts/).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { JanCore, MemoryLogger } from '@jan/core';
import type { FormHostMessage } from '@jan/protocol';
import { ScopedAssistantsExtension } from '../../extensions/assistants';
import { AssistantFormController, type FormTarget } from '../../src/vscode/assistants/form-controller';
import { openChatPage, postToPage } from './support/webview-page';
import { pageSuite } from './support/page-suite';
import type { ThemeName } from './support/themes';

const pages = pageSuite();
let page: Page | undefined;
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

interface FormHost {
  assistants: ScopedAssistantsExtension;
  jan: string;
  user: string;
  opened: string[];
  titles: string[];
  controller(): AssistantFormController;
}

async function openForm(
  target: FormTarget,
  setup: (host: Omit<FormHost, 'controller'>) => void = () => {},
  theme: ThemeName = 'dark',
): Promise<FormHost> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jan-form-'));
  pages.cleanup(() => rmSync(root, { recursive: true, force: true }));
  const jan = path.join(root, '.jan');
  const user = path.join(root, 'global', 'user');
  const core = new JanCore({ janFolder: jan, modelsFolder: path.join(root, 'models'), logger: new MemoryLogger() });
  const assistants = new ScopedAssistantsExtension(core.context, { userFolder: user });
  const host = { assistants, jan, user, opened: [] as string[], titles: [] as string[] };
  setup(host);
  let chain: Promise<void> = Promise.resolve();
  let controller: AssistantFormController | undefined;
  page = await openChatPage(
    pages.browser.context,
    pages.server,
    theme,
    async (created) => {
      controller = new AssistantFormController(assistants, target, {
        post: (message: FormHostMessage) =>
          void (chain = chain.then(() => postToPage(created, message)).catch(() => undefined)),
        models: async () => [
          { id: 'stories-260k', name: 'Stories 260K', engine: 'llamacpp', runsOn: { kind: 'local' } },
        ],
        openFile: async (file) => void host.opened.push(file),
        editing: (saved) => void host.titles.push(saved.name),
      });
      await created.exposeBinding('__janToHost', (_source, message: unknown) => controller!.handle(message));
    },
    '/assistant-form',
  );
  pages.track(page);
  await page.waitForSelector('jan-assistant-form vscode-textfield[name="name"]');
  return { ...host, controller: () => controller! };
}

async function fill(view: Page, name: string, value: string): Promise<void> {
  await view.$eval(
    `[name="${name}"]`,
    (element, text) => ((element as HTMLElement & { value: string }).value = text),
    value,
  );
}

async function fieldErrors(view: Page): Promise<Record<string, string>> {
  return view.$$eval('.field-error[id]', (elements) =>
    Object.fromEntries(elements.map((element) => [element.id.slice('error-'.length), element.textContent!.trim()])),
  );
}

describe('assistant form', () => {
  test('shows each problem next to its field, saves nothing until they are fixed, then creates the assistant', async () => {
    const host = await openForm({ scope: 'workspace' });
    const view = page!;
    await fill(view, 'temperature', '3');
    await fill(view, 'topP', 'abc');
    await fill(view, 'contextFiles', 'docs/*.md\n../secrets.txt');
    await view.click('vscode-button.save');
    await view.waitForSelector('#error-name');
    expect(await fieldErrors(view)).toEqual({
      name: 'A name is required.',
      temperature: 'Temperature is 0 to 2.',
      topP: 'Top-p must be a number.',
      contextFiles: 'Context files are paths inside the workspace (no absolute paths, no "..").',
    });
    expect(await view.$eval('[name="name"]', (element) => element.getAttribute('aria-invalid'))).toBe('true');
    expect((await host.assistants.listScoped()).entries.map((entry) => entry.assistant.id)).toEqual(['jan']);

    await fill(view, 'name', 'Code Reviewer');
    await fill(view, 'avatar', '🧐');
    await fill(view, 'instructions', 'Review the diff. Be terse.');
    await fill(view, 'temperature', '0.3');
    await fill(view, 'topP', '');
    await fill(view, 'contextFiles', 'CONTRIBUTING.md\ndocs/*.md');
    await fill(view, 'prompt-explain', 'Explain like a reviewer.');
    await view.click('vscode-button.save');
    await view.waitForSelector('.form-status:has-text("Saved to")');
    expect(await fieldErrors(view)).toEqual({});
    const file = path.join(host.jan, 'assistants', 'code-reviewer', 'assistant.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      name: 'Code Reviewer',
      avatar: '🧐',
      instructions: 'Review the diff. Be terse.',
      model: '*',
      parameters: { temperature: 0.3 },
      metadata: {
        context_files: ['CONTRIBUTING.md', 'docs/*.md'],
        context_token_cap: 2000,
        selection_prompts: { explain: 'Explain like a reviewer.' },
      },
    });
    expect(host.titles).toEqual(['Code Reviewer']);

    // Now it has a file: Open JSON opens it, and a second save edits it instead of creating another.
    await view.click('vscode-button.open-json');
    await expect.poll(() => host.opened).toEqual([file]);
    await fill(view, 'description', 'Reviews code.');
    await view.click('vscode-button.save');
    await expect
      .poll(async () => (await host.assistants.getAssistant('code-reviewer'))?.description)
      .toBe('Reviews code.');
    expect((await host.assistants.listScoped()).entries.map((entry) => entry.assistant.id).sort()).toEqual([
      'code-reviewer',
      'jan',
    ]);
  });

  test('editing keeps every field the form does not know, at every level', async () => {
    const host = await openForm({ scope: 'user', id: 'mine' }, ({ user }) => {
      mkdirSync(path.join(user, 'assistants', 'mine'), { recursive: true });
      writeFileSync(
        path.join(user, 'assistants', 'mine', 'assistant.json'),
        JSON.stringify({
          id: 'mine',
          object: 'assistant',
          name: 'Mine',
          instructions: 'Old.',
          created_at: 1716201000,
          tools: [{ type: 'retrieval', enabled: false, settings: { top_k: 2 } }],
          parameters: { temperature: 0.5, frequency_penalty: 0.1 },
          metadata: { other_tool: { x: 1 }, context_files: ['README.md'] },
          jan_future: true,
        }),
      );
    });
    const view = page!;
    expect(
      await view.$eval('[name="instructions"]', (element) => (element as HTMLElement & { value: string }).value),
    ).toBe('Old.');
    expect(await view.$eval('[name="scope"]', (element) => element.hasAttribute('disabled'))).toBe(true);
    await fill(view, 'instructions', 'New.');
    await fill(view, 'temperature', '');
    await fill(view, 'contextFiles', '');
    await view.click('vscode-button.save');
    await view.waitForSelector('.form-status:has-text("Saved to")');
    const saved = JSON.parse(readFileSync(path.join(host.user, 'assistants', 'mine', 'assistant.json'), 'utf8'));
    expect(saved).toMatchObject({
      instructions: 'New.',
      tools: [{ type: 'retrieval', enabled: false, settings: { top_k: 2 } }],
      parameters: { frequency_penalty: 0.1 },
      metadata: { other_tool: { x: 1 } },
      jan_future: true,
    });
    expect(saved.parameters).not.toHaveProperty('temperature');
    expect(saved.metadata).not.toHaveProperty('context_files');
  });

  test('a message the form did not produce is refused by the host, which validates again', async () => {
    const host = await openForm({ scope: 'workspace' });
    await host.controller().handle({ type: 'save', draft: { scope: 'workspace', name: 'x'.repeat(500) } });
    await page!.waitForSelector('#error-name');
    expect((await host.assistants.listScoped()).entries.map((entry) => entry.assistant.id)).toEqual(['jan']);
  });

  test('follows the dark, light and high-contrast themes; screenshots', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const theme of ['dark', 'light', 'high-contrast'] as const) {
      await openForm({ scope: 'workspace' }, () => {}, theme);
      await fill(page!, 'temperature', '9');
      await page!.click('vscode-button.save');
      await page!.waitForSelector('#error-temperature');
      const colours = await page!.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        error: getComputedStyle(document.querySelector('#error-temperature')!).color,
      }));
      expect(colours.background).not.toBe('rgba(0, 0, 0, 0)');
      expect(colours.error).not.toBe(colours.background);
      await page!.setViewportSize({ width: 800, height: 900 });
      await page!.screenshot({ path: path.join(ARTIFACTS, `assistant-form-${theme}.png`) });
    }
  });
});
