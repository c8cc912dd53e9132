/**
 * Model output is untrusted. Each payload below is rendered by the real webview in Chromium, as
 * a finished reply, a streamed reply and a user message; then the real DOM is checked: no
 * script ran, nothing carries an event handler or a style, no dangerous element or link exists,
 * and the page asked the server for nothing but its own bundle.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { ChatState, HostMessage, MessageView } from '@jan/protocol';
import {
  buildSanitizerScript,
  buildWebview,
  cspViolations,
  launchChromium,
  openChatPage,
  postToPage,
  sentMessages,
  startPageServer,
  type Browser,
  type PageServer,
} from './support/webview-page';

let browser: Browser;
let server: PageServer;

beforeAll(async () => {
  server = await startPageServer(await buildWebview());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** `LEAK` becomes the test server's origin: a request for /leak… proves a resource was loaded. */
const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '<svg onload="window.__xss = 3"><circle r="10"></circle></svg>',
  '<svg><script>window.__xss = 4</script></svg>',
  '<iframe src="javascript:parent.__xss = 5"></iframe>',
  '<iframe srcdoc="<script>parent.__xss = 6</script>"></iframe>',
  '[click me](javascript:window.__xss=7)',
  '[click me](JaVaScRiPt:window.__xss=8)',
  '[click me](java\tscript:window.__xss=9)',
  '[click me](&#106;avascript:window.__xss=10)',
  '<a href="javascript:window.__xss = 11">html link</a>',
  '[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTI8L3NjcmlwdD4=)',
  '![tracker](LEAK/leak-markdown-image.png)',
  '<img src="LEAK/leak-html-image.png">',
  '<style>body { display: none } @import url(LEAK/leak-import.css);</style>',
  '<div style="background: url(LEAK/leak-style-attr.png)">styled</div>',
  '<link rel="stylesheet" href="LEAK/leak-link.css">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss = 18">',
  '<details open ontoggle="window.__xss = 19">details</details>',
  '<object data="javascript:window.__xss = 20"></object>',
  '<embed src="javascript:window.__xss = 21">',
  '<form action="javascript:window.__xss = 22"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss = 23">',
  '<base href="LEAK/leak-base/">',
  '<input autofocus onfocus="window.__xss = 25">',
  '```js" onmouseover="window.__xss = 26\nconsole.log(1)\n```',
  '<https://example.com" onclick="window.__xss = 27>',
  '[titled](https://example.com "t\\" onmouseover=\\"window.__xss = 28")',
  '<video><source onerror="window.__xss = 29"></video>',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=30>"></noscript>',
  '<template><img src=x onerror="window.__xss = 31"></template>',
  '```html\n</code></pre><img src=x onerror="window.__xss = 32">\n```',
  '<a href="https://ok.example" onclick="window.__xss = 33">ok</a>',
  '[ref link][evil]\n\n[evil]: javascript:window.__xss=35',
  '<svg><a xlink:href="javascript:window.__xss = 36"><text>svg link</text></a></svg>',
  '`<img src=x onerror="window.__xss = 37">` in a code span',
  '<a href="vbscript:msgbox(38)">vb</a> [vb](vbscript:msgbox(38))',
  '<img src="LEAK/leak-srcset.png" srcset="LEAK/leak-srcset-2.png 2x">',
  '<table background="LEAK/leak-table.png"><tr><td>cell</td></tr></table>',
  '<body onload="window.__xss = 40">',
  '[file](file:///etc/passwd) [cmd](command:workbench.action.terminal.new) [vsc](vscode://file/etc/passwd)',
  // Raw HTML blocks (blank lines inside), as Markdown and, in the sanitizer's own test, as HTML.
  '<div>\n\n<img src=x onerror="window.__xss = 41">\n\n</div>',
  '<table><tr><td>\n\n<iframe src="javascript:parent.__xss = 42"></iframe>\n\n</td></tr></table>',
  // `javascript:` in reference links, and the links a renderer would make of them.
  '[ref][x]\n\n[x]: &#106;avascript:window.__xss=43 "title"',
  '[ref][y]\n\n[y]: <javascript:window.__xss=44>',
  '<a href="&#106;avascript:window.__xss = 45">entity link</a> <a href=" javascript:window.__xss = 45">spaced</a>',
  '<a href="jav&#x09;ascript:window.__xss = 46">tab link</a> <a href="JAVASCRIPT:window.__xss = 46">upper</a>',
  // SVG and MathML, including mutation XSS that once got past sanitizers through the parser's namespaces.
  '<svg><animate onbegin="window.__xss = 47" attributeName="x" dur="1s"></animate></svg>',
  '<svg><set attributeName="href" to="javascript:window.__xss = 48"></set><a><text>set link</text></a></svg>',
  '<math href="javascript:window.__xss = 49"><mi>math link</mi></math>',
  '<svg><foreignObject><iframe srcdoc="<script>parent.__xss = 50</script>"></iframe></foreignObject></svg>',
  '<svg></p><style><a id="</style><img src=1 onerror="window.__xss = 51">">',
  '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror="window.__xss = 52" src=1>">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror="window.__xss = 53">',
  '<math><maction actiontype="statusline" xlink:href="javascript:window.__xss = 54">maction</maction></math>',
];

function payloads(origin: string): string[] {
  return PAYLOADS.map((payload) => payload.replaceAll('LEAK', origin));
}

function message(
  id: string,
  role: 'user' | 'assistant',
  text: string,
  status: MessageView['status'] = 'ready',
): MessageView {
  return { id, role, text, status, created: Date.now() };
}

function stateWith(messages: MessageView[]): HostMessage {
  const state: ChatState = {
    thread: { id: 'jan_1', title: 'XSS', settings: { instructions: '' } },
    messages,
    generating: false,
    models: [],
    assistants: [{ id: 'jan', name: 'Jan' }],
  };
  return { type: 'state', state };
}

interface Findings {
  flag: unknown;
  handlers: string[];
  styled: string[];
  forbidden: string[];
  badLinks: string[];
  /** Links without the `rel` the sanitizer puts on each: rendered output that did not pass it. */
  unsanitizedLinks: number;
  links: number;
}

async function inspect(page: Page): Promise<Findings> {
  return page.evaluate(() => {
    const root = document.querySelector('jan-message-list')!;
    const all = [...root.querySelectorAll('*')];
    const forbidden = new Set([
      'script',
      'iframe',
      'object',
      'embed',
      'svg',
      'math',
      'img',
      'style',
      'link',
      'meta',
      'base',
      'form',
      'input',
      'video',
      'audio',
      'source',
      'template',
      'noscript',
      'details',
      'frame',
      'frameset',
      'picture',
    ]);
    return {
      flag: (window as unknown as { __xss?: unknown }).__xss,
      handlers: all.flatMap((element) =>
        [...element.attributes]
          .filter((attr) => attr.name.toLowerCase().startsWith('on'))
          .map((attr) => `${element.tagName} ${attr.name}`),
      ),
      styled: all
        .filter((element) => element.hasAttribute('style') && !element.closest('vscode-button'))
        .map((element) => element.tagName),
      forbidden: all
        .filter((element) => forbidden.has(element.tagName.toLowerCase()))
        .map((element) => element.tagName),
      badLinks: all
        .filter(
          (element) =>
            element.hasAttribute('href') ||
            element.hasAttribute('xlink:href') ||
            element.hasAttribute('src') ||
            element.hasAttribute('action'),
        )
        .map(
          (element) =>
            element.getAttribute('href') ??
            element.getAttribute('xlink:href') ??
            element.getAttribute('src') ??
            element.getAttribute('action') ??
            '',
        )
        .filter((href) => !/^(https?:|mailto:)/i.test(href)),
      unsanitizedLinks: root.querySelectorAll('.markdown a:not([rel="noreferrer noopener"])').length,
      links: root.querySelectorAll('.markdown a').length,
    };
  });
}

/**
 * Hovers, focuses and clicks everything in the messages, as a curious user would. Inline handlers
 * and link clicks run synchronously inside dispatchEvent/click, so nothing needs waiting for.
 */
async function poke(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const element of document.querySelectorAll('jan-message-list *')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error'])
        element.dispatchEvent(new Event(type));
      if (element instanceof HTMLAnchorElement) element.click();
    }
  });
}

async function expectInert(page: Page): Promise<void> {
  await poke(page);
  const { links, ...findings } = await inspect(page);
  expect(findings).toEqual({
    flag: undefined,
    handlers: [],
    styled: [],
    forbidden: [],
    badLinks: [],
    unsanitizedLinks: 0,
  });
  // The payloads do make links (autolinks, titled links): the check above had something to see.
  expect(links).toBeGreaterThan(0);
  // Links go to the host, never to the page; only http(s)/mailto links exist to be clicked.
  const opened = (await sentMessages<{ type: string; href?: string }>(page)).filter((sent) => sent.type === 'openLink');
  for (const link of opened) expect(link.href).toMatch(/^(https?:|mailto:)/);
  expect(new URL(page.url()).pathname).toBe('/');
  expect(server.requests.filter((request) => request.includes('leak'))).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
}

describe('untrusted model output renders inert', () => {
  test('each payload as a finished reply and as a user message', async () => {
    const page = await openChatPage(browser.context, server);
    const list = payloads(server.origin);
    const messages = list.flatMap((payload, index) => [
      message(`u${index}`, 'user', payload),
      message(`a${index}`, 'assistant', payload),
    ]);
    await postToPage(page, stateWith(messages));
    await page.waitForSelector('jan-message');
    // Render every message, not just the newest page. The button is re-rendered by each page it
    // shows and goes away by itself when the list scrolls it into view, so it is clicked inside
    // the page, where it is, until the state is reached: never a locator that may be detached.
    await page.waitForFunction((count) => {
      document.querySelector<HTMLButtonElement>('jan-message-list .load-earlier button')?.click();
      return document.querySelectorAll('jan-message').length === count;
    }, messages.length);
    await expectInert(page);
    // The payloads are still there to read, as text.
    // textContent, not innerText: messages off screen skip layout (content-visibility: auto).
    const text = (await page.locator('jan-message-list').textContent()) ?? '';
    expect(text).toContain('<script>window.__xss = 1</script>');
    expect(text).toContain('<img src=x onerror="window.__xss = 2">');
    await page.close();
  });

  test('the payloads streamed in small pieces', async () => {
    const page = await openChatPage(browser.context, server);
    await postToPage(page, stateWith([message('u1', 'user', 'Show me tricks')]));
    const all = payloads(server.origin).join('\n\n');
    for (let end = 7; end < all.length + 7; end += 7) {
      await postToPage(page, {
        type: 'message',
        threadId: 'jan_1',
        message: message('a1', 'assistant', all.slice(0, end), end < all.length ? 'pending' : 'ready'),
      });
    }
    await page.waitForSelector('jan-message .message-assistant.status-ready');
    await expectInert(page);
    await page.close();
  });
});

describe('streamed rendering', () => {
  test('a reply rendered as it streams ends exactly as the same reply rendered at once', async () => {
    const page = await openChatPage(browser.context, server);
    const text = [
      'Setext title',
      '============',
      '',
      'A paragraph with `code`, **bold** and [a link](https://example.com).',
      'It goes on over a second line.',
      '',
      '1. First step:',
      '',
      '   ```python',
      '   def f(x):',
      '       return x * 2',
      '   ```',
      '',
      '2. Second step, in a loose list.',
      '',
      '> A quote',
      '> over two lines.',
      '',
      '| a | b |',
      '| - | - |',
      '| 1 | 2 |',
      '',
      '```ts',
      'const total = items.reduce((sum, item) => sum + item.value, 0);',
      '```',
      '',
      'Closing words',
      '---',
      'after a setext h2.',
    ].join('\n');
    await postToPage(page, stateWith([message('u1', 'user', 'Render this'), message('full', 'assistant', text)]));
    for (let end = 3; end < text.length + 3; end += 3) {
      await postToPage(page, {
        type: 'message',
        threadId: 'jan_1',
        message: message('streamed', 'assistant', text.slice(0, end), end < text.length ? 'pending' : 'ready'),
      });
    }
    await page.waitForFunction(
      () => document.querySelectorAll('jan-message .message-assistant.status-ready').length === 2,
    );
    const [full, streamed] = await page.$$eval('jan-message .message-assistant .markdown', (bodies) =>
      bodies.map((body) => body.innerHTML.replace(/<!--[^>]*-->/g, '')),
    );
    expect(streamed).toBe(full);
    expect(full).toContain('<h1>Setext title</h1>');
    expect(full).toContain('<h2>Closing words</h2>');
    await page.close();
  });
});

// The renderer already shows raw HTML as text, so tests through it cannot see the sanitizer. Here
// the sanitizer gets the payloads as HTML, exactly what it must make safe on its own.
describe('the sanitizer by itself', () => {
  test('raw HTML payloads come out without scripts, handlers, styles, embeds or unsafe links', async () => {
    const page = await browser.context.newPage();
    await page.setContent('<!doctype html><title>sanitizer</title>');
    await page.addScriptTag({ content: await buildSanitizerScript() });
    const findings = await page.evaluate((list) => {
      const sanitize = (window as unknown as { JanSanitize: { sanitizeHtml(html: string): string } }).JanSanitize;
      const holder = document.createElement('div');
      holder.innerHTML = list.map((payload) => sanitize.sanitizeHtml(payload)).join('\n');
      const all = [...holder.querySelectorAll('*')];
      const allowed = new Set([
        'p',
        'br',
        'hr',
        'strong',
        'em',
        'del',
        'code',
        'pre',
        'blockquote',
        'ul',
        'ol',
        'li',
        'table',
        'thead',
        'tbody',
        'tr',
        'th',
        'td',
        'a',
        'span',
        'div',
        'button',
        'h1',
        'h2',
        'h3',
        'h4',
        'h5',
        'h6',
      ]);
      return {
        flag: (window as unknown as { __xss?: unknown }).__xss,
        foreign: all.map((element) => element.tagName.toLowerCase()).filter((tag) => !allowed.has(tag)),
        handlers: all.flatMap((element) =>
          [...element.attributes].filter((attr) => /^on/i.test(attr.name)).map((attr) => attr.name),
        ),
        styled: all.filter((element) => element.hasAttribute('style')).length,
        badLinks: all
          .map((element) => element.getAttribute('href'))
          .filter((href): href is string => href !== null && !/^(https?:|mailto:)/i.test(href)),
        unsafeRel: all.filter(
          (element) => element.tagName === 'A' && element.getAttribute('rel') !== 'noreferrer noopener',
        ).length,
        kept: holder.textContent ?? '',
        safeLink: sanitize.sanitizeHtml('<a href="https://ok.example" title="t">ok</a>'),
      };
    }, payloads(server.origin));
    expect(findings).toMatchObject({
      flag: undefined,
      foreign: [],
      handlers: [],
      styled: 0,
      badLinks: [],
      unsafeRel: 0,
    });
    // Safe content survives: the sanitizer removes what is dangerous, not everything.
    expect(findings.kept).toContain('html link');
    expect(findings.safeLink).toBe('<a href="https://ok.example" title="t" rel="noreferrer noopener">ok</a>');
    expect(server.requests.filter((request) => request.includes('leak'))).toEqual([]);
    await page.close();
  });
});
