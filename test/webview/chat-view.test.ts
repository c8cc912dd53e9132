/**
 * The chat view in real Chromium, wired to the real controller, store and conversation service
 * (only the engine is scripted): sending, streaming, stop, edit, regenerate, errors in place,
 * code-block actions, threads, settings, pickers, hide/show, themes, keyboard and CSP.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { EngineError, textOf } from '@jan/core';
import { fencedSelection } from '@jan/core';
import { ScriptedEngine } from '../support/scripted-engine';
import { totalmem } from 'node:os';
import { firstModel } from '../../src/vscode/chat/chat-state';
import { pageSuite } from './support/page-suite';
import { createChatHost, type ChatHost } from './support/chat-host';
import { draftSaved, postToPage, sentMessages, setTheme, accessibilityViolations } from './support/webview-page';
import { THEME_NAMES, THEMES, type ThemeName } from './support/themes';

const pages = pageSuite((browser, server) =>
  browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin }),
);
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

async function open(
  theme: ThemeName = 'dark',
  options: { undoDeleteMs?: number; noModels?: boolean } = {},
): Promise<{ host: ChatHost; page: Page }> {
  const host = await createChatHost(options);
  pages.cleanup(() => host.dispose());
  const page = pages.track(await host.open(pages.browser.context, pages.server, theme));
  await page.waitForSelector('jan-composer textarea:not([disabled])');
  return { host, page };
}

interface ShownMessage {
  role: 'user' | 'assistant';
  status: string;
  text: string;
}

async function shownMessages(view: Page): Promise<ShownMessage[]> {
  return view.$$eval('jan-message .message', (articles) =>
    articles.map((article) => ({
      role: article.classList.contains('message-user') ? ('user' as const) : ('assistant' as const),
      status: [...article.classList].find((name) => name.startsWith('status-'))!.slice('status-'.length),
      text: (article.querySelector('.markdown') as HTMLElement | null)?.innerText.trim() ?? '',
    })),
  );
}

async function activeThreadId(h: ChatHost): Promise<string> {
  const { threads } = await h.conversational.listThreads();
  expect(threads.length).toBeGreaterThan(0);
  return threads[0]!.id;
}

async function sendFromInput(view: Page, text: string): Promise<void> {
  const input = view.locator('jan-composer textarea');
  await input.fill(text);
  await input.press('Enter');
}

async function waitForReplies(view: Page, count: number, status = 'ready'): Promise<void> {
  await view.waitForFunction(
    ([wanted, state]) =>
      document.querySelectorAll(`jan-message .message-assistant.status-${state}`).length >= (wanted as number),
    [count, status] as const,
  );
}

describe('conversation', () => {
  test('Enter sends, Shift+Enter adds a line; the reply streams in and shows its model and speed', async () => {
    const { host, page } = await open();
    host.engine.reply = Array.from({ length: 80 }, (_, index) => `word${index}`).join(' ');
    const gate = host.engine.hold();
    const input = page.locator('jan-composer textarea');
    await input.fill('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    expect(await input.inputValue()).toBe('first line\nsecond line');
    await input.press('Enter');
    expect(await input.inputValue()).toBe('');

    // While streaming, the reply is pending and its text grows.
    gate.release(3);
    await page.waitForFunction(() =>
      document.querySelector('jan-message .message-assistant.status-pending .markdown')?.textContent?.includes('word2'),
    );
    expect(await page.locator('.stop-button').count()).toBe(1);
    gate.release(3);
    await page.waitForFunction(() =>
      document.querySelector('jan-message .message-assistant.status-pending .markdown')?.textContent?.includes('word5'),
    );
    expect((await shownMessages(page)).at(-1)!.text).not.toContain('word6');

    gate.release(Infinity);
    await waitForReplies(page, 1);
    const shown = await shownMessages(page);
    expect(shown.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(shown[0]!.text).toBe('first line\nsecond line');
    expect(shown[1]!.text).toBe(host.engine.reply);
    const meta = await page.locator('.message-assistant .message-meta').innerText();
    expect(meta).toContain('Stories 260K');
    expect(meta).toMatch(/\d+(\.\d)? tok\/s/);
    await expect.poll(async () => page.locator('.send-button').count()).toBe(1);

    // What the view shows is what the store holds.
    const threadId = await activeThreadId(host);
    const { messages } = await host.conversational.listMessages(threadId);
    expect(messages.map((message) => [message.role, message.status])).toEqual([
      ['user', 'ready'],
      ['assistant', 'ready'],
    ]);
    await expect.poll(async () => page.locator('.header-title').innerText()).toBe('first line');
  });

  test('Stop and Esc end a reply early; the partial text stays, marked stopped', async () => {
    const { host, page } = await open();
    host.engine.reply = Array.from({ length: 2000 }, (_, index) => `token${index}`).join(' ');
    const gate = host.engine.hold();
    await sendFromInput(page, 'Tell me a long story');
    gate.release(2);
    await page.waitForSelector('jan-message .message-assistant.status-pending .markdown');
    await page.locator('.stop-button').click();
    await waitForReplies(page, 1, 'stopped');
    expect(await page.locator('.message-assistant .message-note').first().innerText()).toContain('Stopped');

    await sendFromInput(page, 'Another one');
    gate.release(2);
    await page.waitForFunction(
      () => document.querySelectorAll('jan-message .message-assistant.status-pending .markdown').length === 1,
    );
    await page.keyboard.press('Escape');
    await waitForReplies(page, 2, 'stopped');

    const { messages } = await host.conversational.listMessages(await activeThreadId(host));
    const replies = messages.filter((message) => message.role === 'assistant');
    expect(replies.map((message) => message.status)).toEqual(['stopped', 'stopped']);
    for (const reply of replies) {
      const text = textOf(reply);
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThan(host.engine.reply.length);
    }
  });

  test('ArrowUp in an empty input edits the last message and resends it', async () => {
    const { host, page } = await open();
    host.engine.reply = 'First answer.';
    await sendFromInput(page, 'What is a monad?');
    await waitForReplies(page, 1);
    host.engine.reply = 'Second answer.';
    await page.locator('jan-composer textarea').press('ArrowUp');
    const editor = page.locator('.message-editor textarea');
    await expect.poll(() => editor.inputValue()).toBe('What is a monad?');
    await editor.fill('What is a functor?');
    await editor.press('Enter');
    await page.waitForFunction(() =>
      document
        .querySelector('jan-message .message-assistant.status-ready .markdown')
        ?.textContent?.includes('Second answer.'),
    );
    const shown = await shownMessages(page);
    expect(shown.map((message) => message.text)).toEqual(['What is a functor?', 'Second answer.']);
    const last = host.engine.requests.at(-1)!;
    expect(last.messages.at(-1)).toEqual({ role: 'user', content: 'What is a functor?' });
    const { messages } = await host.conversational.listMessages(await activeThreadId(host));
    expect(messages.map((message) => textOf(message))).toEqual(['What is a functor?', 'Second answer.']);
  });

  test('Copy, Regenerate and Delete act on one message', async () => {
    const { host, page } = await open();
    host.engine.reply = 'The first reply.';
    await sendFromInput(page, 'Say something');
    await waitForReplies(page, 1);
    const reply = page.locator('jan-message .message-assistant');
    await reply.hover();
    await reply.getByRole('button', { name: 'Copy message' }).click();
    await expect.poll(() => host.port.calls).toContainEqual({ method: 'copy', text: 'The first reply.' });

    host.engine.reply = 'A better reply.';
    await reply.getByRole('button', { name: 'Regenerate reply' }).click();
    await page.waitForFunction(() =>
      document
        .querySelector('jan-message .message-assistant.status-ready .markdown')
        ?.textContent?.includes('A better reply.'),
    );
    const threadId = await activeThreadId(host);
    expect((await host.conversational.listMessages(threadId)).messages.map((message) => textOf(message))).toEqual([
      'Say something',
      'A better reply.',
    ]);

    await page.locator('jan-message .message-assistant').getByRole('button', { name: 'Delete message' }).click();
    await expect.poll(async () => (await shownMessages(page)).length).toBe(1);
    await expect.poll(async () => (await host.conversational.listMessages(threadId)).messages.length).toBe(1);
  });
});

describe('rendering and code blocks', () => {
  test('Markdown renders with highlighted code; Copy, Insert and Apply reach the editor; links open through the host', async () => {
    const { host, page } = await open();
    const code = 'def greet(name):\n    return f"Hello {name}"  # <b>not bold</b>';
    host.engine.reply = [
      '## Steps',
      '',
      '1. Read [the docs](https://example.com/docs?a=1&b=2).',
      '2. Never [this](javascript:alert(1)) or <b>raw html</b>.',
      '',
      '```python app/greet.py:1-2',
      code,
      '```',
      '',
      '| key | value |',
      '| --- | --- |',
      '| a | `1` |',
    ].join('\n');
    await sendFromInput(page, 'Show me Python');
    await waitForReplies(page, 1);
    const body = page.locator('jan-message .message-assistant .markdown');
    expect(await body.locator('h2').innerText()).toBe('Steps');
    expect(await body.locator('ol > li').count()).toBe(2);
    expect(await body.locator('table td code').innerText()).toBe('1');
    expect(await body.locator('.code-block .hljs-keyword').first().innerText()).toBe('def');
    expect(await body.locator('.code-source').innerText()).toBe('app/greet.py:1-2');
    expect(await body.locator('b').count()).toBe(0);
    expect(await body.innerText()).toContain('<b>raw html</b>');
    // Only the safe link is a link.
    expect(await body.locator('a').count()).toBe(1);

    const block = body.locator('.code-block');
    await block.getByRole('button', { name: 'Copy code' }).click();
    await block.getByRole('button', { name: 'Insert code at cursor' }).click();
    await block.getByRole('button', { name: /Apply code/ }).click();
    await body.getByRole('link', { name: 'the docs' }).click();
    await expect.poll(() => host.port.calls.length).toBe(4);
    expect(host.port.calls).toEqual([
      { method: 'copy', text: code },
      { method: 'insertAtCursor', code },
      { method: 'applyToEditor', code, language: 'python' },
      { method: 'openExternal', url: 'https://example.com/docs?a=1&b=2' },
    ]);
    // The page itself never navigated.
    expect(new URL(page.url()).pathname).toBe('/');
  });

  test('a 1 MB paste becomes an attachment beside the input and is sent with the message', async () => {
    const { host, page } = await open();
    const line = 'const value = computeSomething(alpha, beta, gamma); // filler text\n';
    const big = line.repeat(Math.ceil((1024 * 1024) / line.length));
    const input = page.locator('jan-composer textarea');
    await input.fill('Please review:');
    await page.evaluate((text) => navigator.clipboard.writeText(text), big);
    await input.press('Control+V');
    const chip = page.locator('.paste-chip');
    await chip.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'paste-dark.png') });
    expect(await chip.innerText()).toContain('1.0 MB');
    expect(await chip.innerText()).toContain(`${big.split('\n').length.toLocaleString()} lines`);
    // The input itself stays small, and nothing was rendered from the paste.
    expect(await input.inputValue()).toBe('Please review:');
    expect(await page.locator('jan-message').count()).toBe(0);

    host.engine.reply = 'Got it.';
    await input.press('Enter');
    await waitForReplies(page, 1);
    expect(await chip.count()).toBe(0);
    expect(await page.locator('jan-message .message-user pre.plain-text').count()).toBe(1);
    const { messages } = await host.conversational.listMessages(await activeThreadId(host));
    expect(textOf(messages[0]!)).toBe(`Please review:\n\n${big}`);

    // A small paste goes into the input as usual; a removed attachment is not sent.
    await page.evaluate(() => navigator.clipboard.writeText('small paste'));
    await input.press('Control+V');
    expect(await input.inputValue()).toBe('small paste');
    await page.evaluate((text) => navigator.clipboard.writeText(text), big);
    await input.press('Control+V');
    await chip.getByRole('button', { name: 'Remove pasted text' }).click();
    expect(await chip.count()).toBe(0);
    expect(await input.inputValue()).toBe('small paste');
  });
});

describe('errors in place', () => {
  test('first run, no model installed: the empty chat offers the recommended download and an import before anything is asked', async () => {
    const { host, page } = await open('dark', { noModels: true });
    host.port.defaultModel = undefined;
    const first = page.locator('.welcome.first-run');
    await first.waitFor();
    expect(await first.locator('h2').innerText()).toBe('Get a model to start');
    const expected = firstModel(totalmem());
    expect(await first.innerText()).toContain(
      `${expected.name} is a good first one here: a ${expected.download} download`,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'first-run-dark.png') });
    await first.getByRole('button', { name: 'Download a Model…' }).click();
    await first.getByRole('button', { name: 'Import a GGUF File…' }).click();
    await expect
      .poll(() => host.port.calls)
      .toEqual([
        { method: 'runAction', action: 'downloadModel' },
        { method: 'runAction', action: 'importModel' },
      ]);
    // Once a model is there, the usual welcome replaces the offer.
    await postToPage(page, {
      type: 'models',
      models: [{ id: 'stories-260k', name: 'Stories 260K', engine: 'llamacpp', runsOn: { kind: 'local' } }],
    });
    await page.locator('.welcome:not(.first-run)').waitFor();
  });

  test('no model: the reply shows why, with Download Model… and Import Model File…', async () => {
    const { host, page } = await open();
    host.port.defaultModel = undefined;
    await sendFromInput(page, 'Hello?');
    const error = page.locator('jan-message .message-assistant.status-error .chat-error');
    await error.waitFor();
    expect(await error.locator('.chat-error-title').innerText()).toBe('No model to chat with');
    await page.screenshot({ path: path.join(ARTIFACTS, 'no-model-dark.png') });
    await error.getByRole('button', { name: 'Download Model…' }).click();
    await error.getByRole('button', { name: 'Import Model File…' }).click();
    await expect
      .poll(() => host.port.calls)
      .toEqual([
        { method: 'runAction', action: 'downloadModel' },
        { method: 'runAction', action: 'importModel' },
      ]);
    // The user's message is kept; the failed reply was never stored.
    const { messages } = await host.conversational.listMessages(await activeThreadId(host));
    expect(messages.map((message) => message.role)).toEqual(['user']);
  });

  test('an engine crash is shown in place; Retry answers the same message again', async () => {
    const { host, page } = await open();
    host.engine.reply = 'First answer.';
    await sendFromInput(page, 'One');
    await waitForReplies(page, 1);
    host.engine.failNextLoad = new EngineError('WORKER_CRASHED', 'The llama.cpp process exited unexpectedly.');
    await sendFromInput(page, 'Two');
    const error = page.locator('jan-message .message-assistant.status-error .chat-error');
    await error.waitFor();
    expect(await error.locator('.chat-error-message').innerText()).toContain('exited unexpectedly');
    host.engine.reply = 'Second answer.';
    await error.getByRole('button', { name: 'Retry' }).click();
    await waitForReplies(page, 2);
    await expect
      .poll(async () => (await shownMessages(page)).map((message) => message.text))
      .toEqual(['One', 'First answer.', 'Two', 'Second answer.']);
    const { messages } = await host.conversational.listMessages(await activeThreadId(host));
    expect(messages.map((message) => textOf(message))).toEqual(['One', 'First answer.', 'Two', 'Second answer.']);
  });
});

describe('threads', () => {
  async function makeThreads(view: Page, titles: string[]): Promise<void> {
    for (const [index, title] of titles.entries()) {
      if (index > 0) await view.getByRole('button', { name: 'New chat' }).click();
      await view.waitForFunction(() => document.querySelectorAll('jan-message').length === 0);
      await sendFromInput(view, title);
      await waitForReplies(view, 1);
    }
  }

  async function rowTitles(view: Page): Promise<string[]> {
    return view.$$eval('.thread-row .thread-title', (rows) =>
      rows
        .map((row) => ({
          title: (row as HTMLElement).innerText,
          top: (row.parentElement as HTMLElement).getBoundingClientRect().top,
        }))
        .sort((a, b) => a.top - b.top)
        .map((row) => row.title),
    );
  }

  test('new, switch, search, rename, and delete with undo', async () => {
    const { host, page } = await open('dark', { undoDeleteMs: 400 });
    host.engine.reply = 'ok';
    await makeThreads(page, ['Alpha topic', 'Beta topic', 'Gamma question']);

    await page.getByRole('switch', { name: 'Show threads' }).click();
    await expect.poll(() => rowTitles(page)).toEqual(['Gamma question', 'Beta topic', 'Alpha topic']);
    expect(await page.locator('.thread-status').innerText()).toBe('3 threads');

    // Switch.
    await page.locator('.thread-row', { hasText: 'Alpha topic' }).click();
    await expect
      .poll(async () => (await shownMessages(page)).map((message) => message.text))
      .toEqual(['Alpha topic', 'ok']);
    expect(await page.locator('.header-title').innerText()).toBe('Alpha topic');

    // Search by title.
    await page.getByRole('switch', { name: 'Show threads' }).click();
    await page.locator('.thread-search input').fill('topic');
    await expect.poll(() => rowTitles(page)).toEqual(['Beta topic', 'Alpha topic']);
    await page.locator('.thread-search input').fill('');
    await expect.poll(() => rowTitles(page)).toHaveLength(3);

    // Rename with F2 from the keyboard.
    const list = page.getByRole('listbox');
    await list.focus();
    await list.press('ArrowDown');
    await list.press('F2');
    const rename = page.locator('.thread-rename');
    await rename.fill('Beta, renamed');
    await rename.press('Enter');
    await expect.poll(() => rowTitles(page)).toContain('Beta, renamed');
    const threads = (await host.conversational.listThreads()).threads;
    const beta = threads.find((thread) => thread.title === 'Beta, renamed');
    expect(beta).toBeDefined();
    const betaFile = path.join(host.core.context.janFolder, 'threads', beta!.id, 'thread.json');
    expect(JSON.parse(readFileSync(betaFile, 'utf8')).title).toBe('Beta, renamed');

    // Delete, then undo.
    await page.locator('.thread-row', { hasText: 'Gamma question' }).hover();
    await page
      .locator('.thread-row', { hasText: 'Gamma question' })
      .getByRole('button', { name: 'Delete thread' })
      .click();
    await expect.poll(() => rowTitles(page)).not.toContain('Gamma question');
    await page.locator('.toast').getByText('Undo').click();
    await expect.poll(() => rowTitles(page)).toContain('Gamma question');

    // Delete for good: the folder goes when the undo window closes. Had the undo not cancelled
    // Gamma's deletion, its timer (started first) would take Gamma before this one goes.
    await list.focus();
    await list.press('Home');
    const top = (await rowTitles(page))[0]!;
    expect(top).not.toBe('Gamma question');
    await list.press('Delete');
    await expect.poll(async () => (await host.conversational.listThreads()).threads.length).toBe(2);
    const left = (await host.conversational.listThreads()).threads.map((thread) => thread.title).sort();
    expect(left).toEqual(['Alpha topic', 'Beta, renamed', 'Gamma question'].filter((title) => title !== top).sort());
    expect(await rowTitles(page)).toHaveLength(2);
  });

  test('search typed fast shows the results of the last query, whatever order the answers come in', async () => {
    const { host, page } = await open();
    host.engine.reply = 'ok';
    await makeThreads(page, ['Alpha topic', 'Alpine route', 'Beta topic']);
    await page.getByRole('switch', { name: 'Show threads' }).click();
    await expect.poll(() => rowTitles(page)).toHaveLength(3);
    const search = page.locator('.thread-search input');
    // Slow enough that each letter is searched, fast enough that answers overlap typing.
    await search.pressSequentially('alpi', { delay: 160 });
    await expect.poll(() => rowTitles(page)).toEqual(['Alpine route']);
    expect(await search.inputValue()).toBe('alpi');
    // An answer to an older query arriving late changes nothing.
    await postToPage(page, { type: 'threads', query: 'a', offset: 0, total: 3, items: [] });
    await search.pressSequentially('n', { delay: 10 });
    await expect.poll(() => rowTitles(page)).toEqual(['Alpine route']);
    expect(await search.inputValue()).toBe('alpin');
    expect(await page.locator('.thread-status').innerText()).toBe('1 thread');
  });

  test('thousands of threads: only the rows in view exist, and pages load as the list scrolls', async () => {
    const { host, page } = await open();
    // Written as Jan writes them, straight to disk: the store's own write path is tested elsewhere.
    const base = Date.UTC(2026, 0, 1);
    for (let index = 0; index < 3000; index++) {
      const id = `jan_${1767225600 + index}`;
      const folder = path.join(host.core.context.janFolder, 'threads', id);
      mkdirSync(folder, { recursive: true });
      const thread = {
        id,
        object: 'thread',
        title: `Thread number ${index}`,
        assistants: [
          {
            assistant_id: 'jan',
            assistant_name: 'Jan',
            model: { id: 'stories-260k', settings: {}, parameters: {}, engine: 'llamacpp' },
          },
        ],
        created: base + index * 1000,
        updated: base + index * 1000,
        metadata: {},
      };
      writeFileSync(path.join(folder, 'thread.json'), JSON.stringify(thread));
    }
    await page.getByRole('switch', { name: 'Show threads' }).click();
    await expect.poll(() => page.locator('.thread-status').innerText()).toBe('3000 threads');
    expect(await page.locator('.thread-row').count()).toBeLessThan(60);
    expect(await page.locator('.thread-row .thread-title').first().innerText()).toBe('Thread number 2999');
    const pagesBefore = (await sentMessages<{ type: string }>(page)).filter(
      (message) => message.type === 'listThreads',
    ).length;
    await page.locator('.thread-scroll').evaluate((element) => (element.scrollTop = element.scrollHeight));
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.thread-row .thread-title')].some((row) => row.textContent === 'Thread number 0'),
    );
    const pagesAfter = (await sentMessages<{ type: string }>(page)).filter(
      (message) => message.type === 'listThreads',
    ).length;
    expect(pagesAfter).toBeGreaterThan(pagesBefore);
    expect(await page.locator('.thread-row').count()).toBeLessThan(60);
    await page.locator('.thread-search input').fill('number 1234');
    await expect.poll(() => page.locator('.thread-row .thread-title').allInnerTexts()).toEqual(['Thread number 1234']);
  });
});

describe('threads written by Jan 0.6', () => {
  const line = (id: string, role: string, content: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      id,
      object: 'thread.message',
      thread_id: 'x',
      role,
      content,
      status: 'ready',
      created_at: 1735000000,
      completed_at: 1735000000,
      ...extra,
    });
  const text = (value: string) => ({ type: 'text', text: { value, annotations: [] } });

  test('name the parts they do not draw, and a delete of a repeated id removes the chosen line only', async () => {
    const { host, page } = await open();
    const thread = await host.conversational.createThread({ title: 'From Jan 0.6', assistants: [] });
    const file = path.join(host.root, '.jan', 'threads', thread.id, 'messages.jsonl');
    const lines = [
      line('01JA01', 'user', [text('Look'), { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }]),
      line('01JA02', 'assistant', [
        { type: 'reasoning', text: { value: 'hm', annotations: [] } },
        { type: 'tool_call', tool_call_id: 'c1', tool_name: 'see' },
        text('A cat.'),
      ]),
      line('01JA03', 'tool', [text('{"label":"cat"}')], { tool_call_id: 'c1' }),
      line('01JADUP', 'user', [text('first copy')]),
      line('01JADUP', 'user', [text('second copy')]),
    ];
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''));

    await page.getByRole('switch', { name: 'Show threads' }).click();
    await page.locator('.thread-row', { hasText: 'From Jan 0.6' }).click();
    await expect.poll(() => page.locator('jan-message .message').count()).toBe(5);
    // The tool call part is the message's step (MessageView.steps), not a hidden part.
    expect(
      await page
        .locator('jan-message')
        .evaluateAll((items) => items.map((item) => item.querySelector('.message-hidden')?.textContent?.trim() ?? '')),
    ).toEqual(['(not shown: image)', '(not shown: reasoning)', '(not shown: tool result)', '', '']);
    expect(await page.locator('jan-message .agent-step .step-tool').allTextContents()).toEqual(['see']);

    await page
      .locator('jan-message', { hasText: 'second copy' })
      .getByRole('button', { name: 'Delete message' })
      .click();
    await expect.poll(() => readFileSync(file, 'utf8').split('\n').filter(Boolean)).toEqual(lines.slice(0, 4));
    await expect
      .poll(async () => (await shownMessages(page)).map((message) => message.text))
      .toEqual(['Look', 'A cat.', '', 'first copy']);
  });
});

describe('view state', () => {
  test('hiding and showing the view keeps the draft, the thread and a reply in progress', async () => {
    const { host, page } = await open();
    host.engine.reply = 'Short.';
    await sendFromInput(page, 'Keep this thread');
    await waitForReplies(page, 1);
    await page.locator('jan-composer textarea').fill('an unsent draft');
    await draftSaved(page, 'an unsent draft');
    await host.reopen(page);
    await expect.poll(() => page.locator('jan-composer textarea').inputValue()).toBe('an unsent draft');
    await expect
      .poll(async () => (await shownMessages(page)).map((message) => message.text))
      .toEqual(['Keep this thread', 'Short.']);

    // Mid-stream: the new page picks the reply up where it is and sees it finish.
    host.engine.reply = Array.from({ length: 150 }, (_, index) => `w${index}`).join(' ');
    const gate = host.engine.hold();
    await page.locator('jan-composer textarea').fill('Stream while I hide');
    await page.locator('jan-composer textarea').press('Enter');
    gate.release(2);
    await page.waitForSelector('jan-message .message-assistant.status-pending .markdown');
    await host.reopen(page);
    await page.waitForSelector('jan-message .message-assistant.status-pending');
    expect(await page.locator('.stop-button').count()).toBe(1);
    gate.release(Infinity);
    await waitForReplies(page, 2);
    expect((await shownMessages(page)).at(-1)!.text).toBe(host.engine.reply);
  });

  test('Add Selection to Chat puts a fenced block with file and lines in the input, even when the view was closed', async () => {
    const { host, page } = await open();
    const block = fencedSelection({
      code: 'let a = 1;\nlet b = `x`;\n',
      languageId: 'typescript',
      path: 'src/a b.ts',
      startLine: 3,
      endLine: 4,
    });
    host.controller.addToInput(block);
    await expect.poll(() => page.locator('jan-composer textarea').inputValue()).toBe(block);
    expect(block.startsWith('```typescript src/a b.ts:3-4\n')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');

    // The view is gone (hidden): the text waits for the next page.
    await page.locator('jan-composer textarea').fill('');
    await draftSaved(page, '');
    host.controller.attach(() => undefined);
    host.controller.addToInput('queued text');
    await host.reopen(page);
    await expect.poll(() => page.locator('jan-composer textarea').inputValue()).toBe('queued text');
  });
  test('a command from the editor leaves the thread list for the chat and lands its text there', async () => {
    const { host, page } = await open();
    host.engine.reply = 'It adds.';
    await page.getByRole('switch', { name: 'Show threads' }).click();
    await page.waitForSelector('jan-thread-list');
    host.controller.addToInput('```ts a.ts:1\nlet a = 1;\n```');
    await page.waitForSelector('jan-thread-list', { state: 'detached' });
    await expect.poll(() => page.locator('jan-composer textarea').inputValue()).toContain('let a = 1;');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');

    // Explain / Write Tests ask in a new thread: the page shows that thread, not the list.
    await page.getByRole('switch', { name: 'Show threads' }).click();
    await page.waitForSelector('jan-thread-list');
    await host.controller.askInChat('Explain this code');
    await page.waitForSelector('jan-thread-list', { state: 'detached' });
    await expect
      .poll(async () => (await shownMessages(page)).map((message) => message.text))
      .toEqual(['Explain this code', 'It adds.']);
  });
});

describe('thread settings and pickers', () => {
  test('the settings panel saves into thread.json and refuses bad values with a message', async () => {
    const { host, page } = await open();
    host.engine.reply = 'ok';
    await sendFromInput(page, 'Settings test');
    await waitForReplies(page, 1);
    // A thread without its own limit gets the chat's default, and the panel says which.
    expect(host.engine.requests.at(-1)!.max_tokens).toBe(1024);
    await page.getByRole('switch', { name: 'Thread settings' }).click();
    const panel = page.locator('jan-thread-settings');
    expect(await panel.locator('#jan-maxTokens input').getAttribute('placeholder')).toBe('default: 1024');
    // The context the thread gets now (of the model's training context, when the model file says it).
    await expect
      .poll(() => panel.locator('#jan-contextLength input').getAttribute('placeholder'))
      .toMatch(/^default: [\d,]+ tokens$/);
    await panel.locator('#jan-instructions textarea').fill('Answer in one sentence.');
    await panel.locator('#jan-temperature input').fill('3');
    await panel.getByRole('button', { name: 'Save' }).click();
    expect(await panel.locator('.settings-error').innerText()).toBe('Temperature is 0 to 2.');
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-dark.png') });
    await panel.locator('#jan-temperature input').fill('0.4');
    await panel.locator('#jan-maxTokens input').fill('256');
    await panel.locator('#jan-contextLength input').fill('4096');
    await panel.getByRole('button', { name: 'Save' }).click();
    const threadId = await activeThreadId(host);
    await expect
      .poll(async () => (await host.conversational.getThread(threadId))?.assistants[0]?.instructions)
      .toBe('Answer in one sentence.');
    const stored = JSON.parse(
      readFileSync(path.join(host.core.context.janFolder, 'threads', threadId, 'thread.json'), 'utf8'),
    );
    expect(stored.assistants[0].model.parameters).toMatchObject({ temperature: 0.4, max_tokens: 256 });
    expect(stored.assistants[0].model.settings.ctx_len).toBe(4096);
    expect(stored.assistants[0].model.engine).toBe('llamacpp');

    // The next request uses them.
    await sendFromInput(page, 'Again');
    await waitForReplies(page, 2);
    const request = host.engine.requests.at(-1)!;
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Answer in one sentence.' });
    expect(request.temperature).toBe(0.4);
    expect(request.max_tokens).toBe(256);

    // Emptying a number returns it to the default.
    await panel.locator('#jan-maxTokens input').fill('');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await host.conversational.getThread(threadId))?.assistants[0]?.model.parameters.max_tokens)
      .toBeUndefined();
    await sendFromInput(page, 'Once more');
    await waitForReplies(page, 3);
    expect(host.engine.requests.at(-1)!.max_tokens).toBe(1024);
  });

  test('the model and assistant pickers write the thread; a new chat takes the picked ones', async () => {
    const host = await createChatHost();
    pages.cleanup(() => host.dispose());
    host.core.engines.register(
      new ScriptedEngine({
        id: 'gpu-box',
        models: ['gpu-box/coder'],
        runsOn: { kind: 'remote', host: 'gpu-box:8000' },
      }),
    );
    const reviewer = await host.assistants.createAssistant({
      name: 'Reviewer',
      description: 'Reviews code',
      instructions: 'You review code.',
      model: '*',
    });
    const page = pages.track(await host.open(pages.browser.context, pages.server));
    await page.waitForSelector('jan-composer textarea:not([disabled])');
    const h = host;
    const view = page;
    h.engine.reply = 'ok';
    await sendFromInput(view, 'Picker test');
    await waitForReplies(view, 1);
    const threadId = await activeThreadId(h);

    await view.locator('.model-picker').click();
    await view.locator('.model-picker').getByRole('option', { name: 'TinyStories 656K' }).click();
    await expect
      .poll(async () => (await h.conversational.getThread(threadId))?.assistants[0]?.model.id)
      .toBe('tinystories-656k');
    await expect.poll(() => view.locator('.model-destination').innerText()).toBe('local');
    // Where a remote model sends the code is in the header as soon as it is picked.
    await view.locator('.model-picker').click();
    await view.locator('.model-picker').getByRole('option', { name: 'gpu-box/coder' }).click();
    await expect.poll(() => view.locator('.model-destination.remote').innerText()).toBe('gpu-box:8000');
    await view.locator('.model-picker').click();
    await view.locator('.model-picker').getByRole('option', { name: 'TinyStories 656K' }).click();
    await expect.poll(() => view.locator('.model-destination').innerText()).toBe('local');
    await view.locator('.assistant-picker').click();
    await view.locator('.assistant-picker').getByRole('option', { name: 'Reviewer' }).click();
    await expect
      .poll(async () => (await h.conversational.getThread(threadId))?.assistants[0]?.assistant_name)
      .toBe('Reviewer');
    const thread = await h.conversational.getThread(threadId);
    expect(thread!.assistants[0]!.instructions).toBe('You review code.');
    await sendFromInput(view, 'Who are you?');
    await waitForReplies(view, 2);
    expect(h.engine.requests.at(-1)!.model).toBe('tinystories-656k');
    expect(await view.locator('jan-message .message-assistant .message-role').last().innerText()).toBe('Reviewer');

    // In a new chat the choices wait for the thread its first message creates.
    await view.getByRole('button', { name: 'New chat' }).click();
    await view.waitForFunction(() => document.querySelectorAll('jan-message').length === 0);
    await view.locator('.model-picker').click();
    await view.locator('.model-picker').getByRole('option', { name: 'TinyStories 656K' }).click();
    await view.locator('.assistant-picker').click();
    await view.locator('.assistant-picker').getByRole('option', { name: 'Reviewer' }).click();
    await expect
      .poll(() => view.locator('.model-picker').evaluate((select: HTMLInputElement) => select.value))
      .toBe('tinystories-656k');
    await sendFromInput(view, 'A new thread');
    await waitForReplies(view, 1);
    const created = (await h.conversational.listThreads()).threads.find((candidate) => candidate.id !== threadId)!;
    expect(created.assistants[0]).toMatchObject({
      assistant_id: reviewer.id,
      assistant_name: 'Reviewer',
      model: { id: 'tinystories-656k', engine: 'llamacpp' },
    });
  });
});

describe('where the model runs', () => {
  test('the empty chat and the header say where the chosen model runs, and follow its engine to another host', async () => {
    const { host, page } = await open();
    const welcome = page.locator('jan-message-list .welcome');
    const destination = page.locator('.model-destination');
    await expect.poll(() => welcome.innerText()).toContain('Replies are written by a model on this machine.');
    expect(await destination.innerText()).toBe('local');

    // The default chat model is served by an engine that then moves off this machine (Edit Remote Engine).
    host.core.engines.register(new ScriptedEngine({ id: 'gpu-box', models: ['gpu-box/coder'] }));
    host.port.defaultModel = 'gpu-box/coder';
    await host.controller.refresh();
    await expect.poll(() => destination.innerText()).toBe('local');
    const runsOn = { kind: 'remote', host: 'gpu-box:8000' } as const;
    host.core.engines.register(new ScriptedEngine({ id: 'gpu-box', models: ['gpu-box/coder'], runsOn }));
    await expect.poll(() => page.locator('.model-destination.remote').innerText()).toBe('gpu-box:8000');
    expect(await destination.getAttribute('title')).toBe('Prompts and code go to gpu-box:8000');
    expect(await welcome.innerText()).toContain('Replies are written by a model on gpu-box:8000');
    expect(await welcome.innerText()).not.toContain('this machine');
    const option = await page.locator('.model-picker vscode-option[value="gpu-box/coder"]').getAttribute('description');
    expect(option).toBe('sends prompts and code to gpu-box:8000');
  });
});

describe('look, keyboard and safety', () => {
  test('colours follow the theme variables in dark, light, dark and light high contrast; axe finds no contrast or name violations; screenshots', async () => {
    const { host, page } = await open('light');
    host.engine.reply = [
      'Here is a class:',
      '',
      '```ts',
      '// Adds numbers.',
      'export class Adder {',
      '  add(a: number, b: number): number {',
      "    const label = 'sum';",
      '    return a + b + 0;',
      '  }',
      '}',
      '```',
      '',
      'Use it with `new Adder().add(1, 2)`. See [the handbook](https://www.typescriptlang.org/docs/).',
      '',
      '> Quoted with `code` inside.',
    ].join('\n');
    await sendFromInput(page, 'Write an add function in TypeScript');
    await waitForReplies(page, 1);
    await page.getByRole('switch', { name: 'Thread settings' }).click();
    await page.waitForSelector('jan-thread-settings form');
    const rgb = (value: string) =>
      page.evaluate((colour) => {
        const probe = document.createElement('div');
        probe.style.color = colour;
        document.body.append(probe);
        const result = getComputedStyle(probe).color;
        probe.remove();
        return result;
      }, value);
    for (const theme of THEME_NAMES) {
      await setTheme(page, theme);
      const vars = THEMES[theme].variables;
      const colours = await page.evaluate(() => {
        const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
        return {
          body: style('body').backgroundColor,
          text: style('body').color,
          user: style('.message-user').backgroundColor,
          code: style('.code-block').backgroundColor,
          codeText: style('.code-block code').color,
          codeTextBackground: style('.code-block code').backgroundColor,
          inlineCode: style('.markdown p code').color,
          inlineCodeBackground: style('.markdown p code').backgroundColor,
          keyword: style('.hljs-keyword').color,
          link: style('.markdown a').color,
          assistantBorder: style('.message-assistant').borderTopColor,
          bodyClass: document.body.className,
        };
      });
      expect(colours.bodyClass).toBe(THEMES[theme].bodyClass);
      expect(colours.body).toBe(await rgb(vars['--vscode-sideBar-background']!));
      expect(colours.text).toBe(await rgb(vars['--vscode-foreground']!));
      expect(colours.user).toBe(await rgb(vars['--vscode-input-background']!));
      expect(colours.code).toBe(await rgb(vars['--vscode-editor-background']!));
      // VS Code paints every <code> with the inline-code background: none behind a code block's lines.
      expect(colours.codeText).toBe(await rgb(vars['--vscode-editor-foreground']!));
      expect(colours.codeTextBackground).toBe('rgba(0, 0, 0, 0)');
      expect(colours.inlineCode).toBe(await rgb(vars['--vscode-textPreformat-foreground']!));
      expect(colours.inlineCodeBackground).toBe(await rgb(vars['--vscode-textPreformat-background']!));
      expect(colours.keyword).toBe(await rgb(vars['--vscode-debugTokenExpression-boolean']!));
      expect(colours.link).toBe(await rgb(vars['--vscode-textLink-foreground']!));
      // Only high contrast draws borders around replies.
      const highContrast = theme === 'high-contrast' || theme === 'high-contrast-light';
      expect(colours.assistantBorder).toBe(
        highContrast ? await rgb(vars['--vscode-contrastBorder']!) : 'rgba(0, 0, 0, 0)',
      );
      await page.mouse.move(0, 0);
      expect(await accessibilityViolations(page), `${theme}: the chat`).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `chat-${theme}.png`) });
    }
    await page.getByRole('switch', { name: 'Show threads' }).click();
    await page.waitForSelector('.thread-row');
    for (const theme of THEME_NAMES) {
      await setTheme(page, theme);
      await page.mouse.move(0, 0);
      expect(await accessibilityViolations(page), `${theme}: the thread list`).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `threads-${theme}.png`) });
    }
    expect(existsSync(path.join(ARTIFACTS, 'chat-high-contrast-light.png'))).toBe(true);
  });

  test('polish: the hint is whole in a narrow sidebar and offers ↑ only with a message to edit; models go by one name; one New chat', async () => {
    const { host, page } = await open();
    await page.setViewportSize({ width: 220, height: 600 });
    const hint = page.locator('.composer-hint');
    const clipped = () =>
      hint.evaluate(
        (element) =>
          element.scrollWidth > element.clientWidth ||
          element.getBoundingClientRect().right > document.documentElement.clientWidth,
      );
    expect(await hint.innerText()).toBe('Enter sends · Shift+Enter adds a line');
    expect(await clipped()).toBe(false);
    host.engine.reply = 'Hi.';
    await sendFromInput(page, 'Hello');
    await waitForReplies(page, 1);
    expect(await hint.innerText()).toBe('Enter sends · ↑ edits your last message');
    expect(await clipped()).toBe(false);
    expect(await page.locator('jan-composer textarea').getAttribute('placeholder')).toBe('Ask Jan…');

    // The reply's footer and the picker name the model as model.json does, and say where it runs.
    expect(await page.locator('.message-assistant .message-meta').innerText()).toContain('Stories 260K');
    const options = await page.$$eval('.model-picker vscode-option', (items) =>
      items.map((item) => `${item.textContent?.trim()} | ${item.getAttribute('description')}`),
    );
    expect(options).toContain('Stories 260K | runs on this machine');
    expect(options.join('\n')).not.toMatch(/llamacpp|stories-260k/);

    // One "+": the page's New chat; the view's title bar does not repeat it.
    expect(await page.getByRole('button', { name: 'New chat' }).count()).toBe(1);
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { menus: Record<string, Array<{ command: string }>> };
    };
    expect(manifest.contributes.menus['view/title'] ?? []).not.toContainEqual(
      expect.objectContaining({ command: 'jan.newThread' }),
    );
  });

  test('every control has an accessible name and the main ones are reachable with Tab', async () => {
    const { host, page } = await open();
    host.engine.reply = '```js\nconsole.log(1)\n```';
    await sendFromInput(page, 'Code please');
    await waitForReplies(page, 1);
    const unnamed = await page.evaluate(() => {
      const controls = [
        ...document.querySelectorAll(
          'button, textarea, input, vscode-button, vscode-toolbar-button, vscode-single-select, [role="listbox"]',
        ),
      ];
      return controls
        .filter((control) => {
          const name =
            control.getAttribute('aria-label') ||
            control.getAttribute('label') ||
            (control as HTMLElement).innerText?.trim();
          return !name;
        })
        .map((control) => control.outerHTML.slice(0, 120));
    });
    expect(unnamed).toEqual([]);
    // Tab order from the top: threads, settings, new chat, the two pickers, … the input.
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    const reached = new Set<string>();
    for (let step = 0; step < 40; step++) {
      await page.keyboard.press('Tab');
      reached.add(
        await page.evaluate(() => {
          let element = document.activeElement;
          while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
          const host = (element?.getRootNode() as ShadowRoot).host ?? element;
          return host?.getAttribute('aria-label') || host?.getAttribute('label') || host?.tagName || '';
        }),
      );
    }
    for (const name of [
      'Show threads',
      'Thread settings',
      'New chat',
      'Chat model',
      'Message to Jan',
      'Copy code',
      'Copy message',
    ]) {
      expect(reached).toContain(name);
    }
  });

  test('invalid messages are refused on both sides and change nothing', async () => {
    const { host, page } = await open();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await postToPage(page, { type: 'message', threadId: 'x', message: { id: '../../etc', text: 5 } });
    await postToPage(page, { type: 'nonsense' });
    await postToPage(page, 'just a string');
    await expect.poll(() => warnings.length).toBe(3);
    expect(warnings[0]).toContain('Jan: dropped a message from the host');
    expect(await page.locator('jan-composer textarea').isEnabled()).toBe(true);

    await host.controller.handle({ type: 'send', threadId: '../outside', text: 'hi' });
    await host.controller.handle({ type: 'send', threadId: null, text: '   ' });
    await host.controller.handle({ type: 'runAction', action: 'workbench.action.terminal.new' });
    await host.controller.handle({ type: 'openLink', href: 'javascript:alert(1)' });
    await host.delivered();
    expect((await host.conversational.listThreads()).threads).toHaveLength(0);
    expect(host.port.calls).toEqual([]);
    await expect.poll(() => page.locator('.toast-error').count()).toBe(1);
    expect(await page.locator('.toast-error').innerText()).toContain('http(s) and mailto');
  });
});
