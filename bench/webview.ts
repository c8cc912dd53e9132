/**
 * `npm run bench -- webview`: the chat webview (minified bundle) in Debian's Chromium.
 * - render_1k_ms: open a 1,000-message thread with code blocks, from the `state` message to the
 *   next frame; baseline render_1k_all_ms renders all 1,000 at once in the same page.
 * - stream_longtasks: main-thread tasks over 50 ms while 2,000 tokens stream in, one message
 *   event per token with nothing between them (goal 0); with the longest task and the total time.
 * - paste_1mb_ms: a 1 MB clipboard paste into the input, to the next frame; baseline: the same
 *   paste into a plain textarea, and a keystroke after each.
 * Prints one JSON line.
 */
import type { Page } from 'playwright-core';
import type { ChatState, MessageView } from '@jan/protocol';
import {
  buildWebview,
  launchChromium,
  openChatPage,
  postToPage,
  startPageServer,
} from '../test/webview/support/webview-page';

const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function reply(index: number): string {
  return [
    `Here is step ${index} of the refactoring. The helper below keeps **state** in one place and the \`render\` loop stays pure.`,
    '',
    '```ts',
    `export function step${index}(items: Array<{ id: string; value: number }>): Map<string, number> {`,
    '  const totals = new Map<string, number>();',
    '  for (const item of items) {',
    '    totals.set(item.id, (totals.get(item.id) ?? 0) + item.value); // accumulate',
    '  }',
    `  return totals; // ${index}`,
    '}',
    '```',
    '',
    '- It runs in linear time.',
    '- See [the docs](https://example.com/docs) for details.',
  ].join('\n');
}

function thread(count: number): ChatState {
  const messages: MessageView[] = [];
  for (let index = 0; index < count; index += 2) {
    messages.push({
      id: `u${index}`,
      role: 'user',
      text: `Question ${index}: how do I total the values by id?`,
      status: 'ready',
      created: index,
    });
    messages.push({
      id: `a${index}`,
      role: 'assistant',
      text: reply(index),
      status: 'ready',
      created: index + 1,
      model: 'bench-model',
      tokensPerSecond: 42,
    });
  }
  return {
    thread: { id: 'jan_bench', title: 'Bench', settings: { instructions: '' } },
    messages,
    generating: false,
    models: [{ id: 'bench-model', name: 'Bench model', engine: 'llamacpp', runsOn: { kind: 'local' } }],
    assistants: [{ id: 'jan', name: 'Jan' }],
  };
}

/** Delivers a message and waits for the frame after it (the page has rendered it). */
async function timeMessage(page: Page, message: unknown): Promise<number> {
  return page.evaluate(async (data) => {
    const start = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - start;
  }, message);
}

async function renderThousand(page: Page): Promise<{ visible: number; all: number }> {
  const visible = await timeMessage(page, { type: 'state', state: thread(1000) });
  const count = await page.locator('jan-message').count();
  if (count === 0 || count >= 1000) throw new Error(`Expected an incremental first render, got ${count} messages.`);
  const all = await page.evaluate(async () => {
    const list = document.querySelector('jan-message-list') as HTMLElement & { start: number };
    const start = performance.now();
    list.start = 0;
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - start;
  });
  if ((await page.locator('jan-message').count()) !== 1000)
    throw new Error('The full render did not show 1,000 messages.');
  return { visible, all };
}

/** Streams 2,000 tokens as fast as the page takes them; counts long tasks meanwhile. */
async function stream(page: Page): Promise<{ longtasks: number; longest: number; ms: number }> {
  await postToPage(page, { type: 'state', state: thread(1000) });
  await page.waitForSelector('jan-message');
  // Let the open (and its idle pre-rendering) finish, so only the streaming is measured.
  await page.waitForTimeout(1500);
  const tokens: string[] = [];
  for (let index = 0; tokens.length < 2000; index++) tokens.push(...(reply(index) + '\n\n').match(/\s*\S+|\s+/g)!);
  tokens.length = 2000;
  return page.evaluate(async (pieces) => {
    const long: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) long.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      let index = 0;
      let text = '';
      const message = (status: string) => ({
        type: 'message',
        threadId: 'jan_bench',
        message: { id: 'streaming', role: 'assistant', text, status, created: Date.now(), model: 'bench-model' },
      });
      channel.port1.onmessage = () => {
        if (index === pieces.length) {
          window.dispatchEvent(new MessageEvent('message', { data: message('ready') }));
          resolve();
          return;
        }
        text += pieces[index++];
        window.dispatchEvent(new MessageEvent('message', { data: message('pending') }));
        channel.port2.postMessage(0);
      };
      channel.port2.postMessage(0);
    });
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const ms = performance.now() - start;
    // Long tasks are reported a little after they end.
    await new Promise((resolve) => setTimeout(resolve, 200));
    observer.disconnect();
    const shown = document.querySelector('jan-message-list jan-message:last-of-type .markdown')?.textContent ?? '';
    if (!shown.includes('step')) throw new Error('The streamed reply was not rendered.');
    return { longtasks: long.filter((duration) => duration > 50).length, longest: Math.max(0, ...long), ms };
  }, tokens);
}

/** Pastes 1 MB (a real clipboard paste) and types one key; returns both times to the next frame. */
async function paste(page: Page, selector: string): Promise<{ paste: number; key: number }> {
  const line = 'const value = computeSomething(alpha, beta, gamma); // filler text\n';
  const big = line.repeat(Math.ceil((1024 * 1024) / line.length));
  await page.evaluate((text) => navigator.clipboard.writeText(text), big);
  await page.focus(selector);
  const frame = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const start = (window as unknown as { __pasteStart: number }).__pasteStart;
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
        }),
    );
  await page.evaluate(() => ((window as unknown as { __pasteStart: number }).__pasteStart = performance.now()));
  await page.keyboard.press('Control+V');
  const pasted = await frame();
  await page.evaluate(() => ((window as unknown as { __pasteStart: number }).__pasteStart = performance.now()));
  await page.keyboard.press('x');
  const key = await frame();
  return { paste: pasted, key };
}

async function main(): Promise<void> {
  const server = await startPageServer(await buildWebview('bench-webview', true));
  const browser = await launchChromium();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  try {
    const visible: number[] = [];
    const all: number[] = [];
    const streams: Array<{ longtasks: number; longest: number; ms: number }> = [];
    const pastes: Array<{ paste: number; key: number }> = [];
    const plain: Array<{ paste: number; key: number }> = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await openChatPage(browser.context, server, 'dark');
      const render = await renderThousand(page);
      visible.push(render.visible);
      all.push(render.all);
      await page.close();
      const streaming = await openChatPage(browser.context, server, 'dark');
      streams.push(await stream(streaming));
      pastes.push(await paste(streaming, 'jan-composer textarea'));
      await streaming.close();
      const blank = await browser.context.newPage();
      await blank.goto(server.origin + '/codicons/codicon.css');
      await blank.setContent('<textarea style="width: 360px; max-height: 40vh"></textarea>');
      plain.push(await paste(blank, 'textarea'));
      await blank.close();
    }
    const render1k = median(visible);
    const render1kAll = median(all);
    console.log(
      JSON.stringify({
        bench: 'webview',
        render_1k_ms: round(render1k),
        baseline_render_1k_all_ms: round(render1kAll),
        render_1k_ratio: round(render1k / render1kAll),
        stream_longtasks: median(streams.map((result) => result.longtasks)),
        stream_longtasks_worst_run: Math.max(...streams.map((result) => result.longtasks)),
        stream_longest_task_ms: round(Math.max(...streams.map((result) => result.longest))),
        stream_2k_tokens_ms: round(median(streams.map((result) => result.ms))),
        paste_1mb_ms: round(median(pastes.map((result) => result.paste))),
        keystroke_after_paste_ms: round(median(pastes.map((result) => result.key))),
        baseline_paste_1mb_plain_textarea_ms: round(median(plain.map((result) => result.paste))),
        baseline_keystroke_after_paste_plain_ms: round(median(plain.map((result) => result.key))),
        runs: RUNS,
      }),
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
