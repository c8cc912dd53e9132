/**
 * The webview's Markdown rendering and sanitizing, module by module, in real Chromium (vitest's
 * browser mode): each rule pinned by itself. test/webview/ checks the whole view around them.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml, fenceLanguage, highlightCode } from '../../webview/markdown/highlight';
import { IncrementalMarkdown, MAX_MARKDOWN_LENGTH, renderMarkdown } from '../../webview/markdown/render';
import { sanitizeHtml } from '../../webview/markdown/sanitize';

function html(fragment: DocumentFragment): string {
  const holder = document.createElement('div');
  holder.append(fragment);
  return holder.innerHTML;
}

const render = (text: string, flavor: 'reply' | 'typed' = 'reply') => html(renderMarkdown(text, flavor));

describe('escapeHtml and fences', () => {
  it('escapes the five HTML characters and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a> ok`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62; ok',
    );
  });

  it('takes the first word of the info string, reduced to safe characters, lower case, at most 40', () => {
    expect(fenceLanguage('  TypeScript src/a.ts:3-9')).toBe('typescript');
    expect(fenceLanguage('c++')).toBe('c++');
    expect(fenceLanguage('js"onclick=x')).toBe('jsonclickx');
    expect(fenceLanguage('a'.repeat(60))).toHaveLength(40);
    expect(fenceLanguage(undefined)).toBe('');
  });

  it('highlights a named known language only, and escapes the rest', () => {
    expect(highlightCode('const a = 1;', 'ts')).toContain('<span class="hljs-keyword">const</span>');
    expect(highlightCode('<b>x</b>', '')).toBe('&#60;b&#62;x&#60;/b&#62;');
    expect(highlightCode('<b>x</b>', 'no-such-language')).toBe('&#60;b&#62;x&#60;/b&#62;');
    const long = `const a = '${'x'.repeat(60_001)}';`;
    expect(highlightCode(long, 'ts')).not.toContain('hljs');
  });
});

describe('renderMarkdown', () => {
  it('renders Markdown structure', () => {
    const out = render(
      '# Title\n\nSome **bold**, *em*, ~~gone~~ and `code`.\n\n- one\n- two\n\n> quoted\n\n| a | b |\n| - | - |\n| 1 | 2 |',
    );
    for (const part of [
      '<h1>Title</h1>',
      '<strong>bold</strong>',
      '<em>em</em>',
      '<del>gone</del>',
      '<code>code</code>',
      '<li>one</li>',
      '<blockquote>',
      '<td>1</td>',
    ]) {
      expect(out).toContain(part);
    }
  });

  it('shows raw HTML from the model as text', () => {
    const out = render('Hello <b onclick="x()">there</b>\n\n<div>block</div>');
    expect(out).toContain('&lt;b onclick="x()"&gt;there&lt;/b&gt;');
    expect(out).toContain('&lt;div&gt;block&lt;/div&gt;');
    expect(out).not.toContain('<b');
  });

  it('wraps code blocks with their language, source and actions, highlighted', () => {
    const out = render('```python app/greet.py:1-2\ndef hi():\n    return 1\n```');
    expect(out).toContain('<span class="code-lang">python</span>');
    expect(out).toContain('<span class="code-source" title="app/greet.py:1-2">app/greet.py:1-2</span>');
    for (const action of ['copy', 'insert', 'apply']) expect(out).toContain(`data-action="${action}"`);
    expect(out).toContain('<span class="hljs-keyword">def</span>');
    expect(render('```\nplain\n```')).toContain('<span class="code-lang">text</span>');
  });

  it('builds the code header exactly: language, source after any spaces, three labelled actions', () => {
    const out = render('```ts    src/a.ts:3-9   extra\nlet a = 1;\n```');
    const header = out.slice(
      out.indexOf('<div class="code-header">'),
      out.indexOf('</div>', out.indexOf('<div class="code-header">')) + 6,
    );
    expect(header).toBe(
      '<div class="code-header"><span class="code-lang">ts</span><span class="code-source" title="src/a.ts:3-9 extra">src/a.ts:3-9 extra</span>' +
        '<span class="code-actions">' +
        '<button type="button" class="code-action" data-action="copy" aria-label="Copy code" title="Copy code"><span class="codicon codicon-copy"></span></button>' +
        '<button type="button" class="code-action" data-action="insert" aria-label="Insert code at cursor" title="Insert code at cursor"><span class="codicon codicon-insert"></span></button>' +
        '<button type="button" class="code-action" data-action="apply" aria-label="Apply code to the active editor (shows a diff first)" title="Apply code to the active editor (shows a diff first)"><span class="codicon codicon-git-compare"></span></button>' +
        '</span></div>',
    );
    expect(render('```ts\nx\n```')).not.toContain('code-source');
  });

  it('keeps http(s) and mailto links, and turns any other link into its text', () => {
    expect(render('[site](https://example.com/a "T")')).toContain(
      '<a href="https://example.com/a" title="T" rel="noreferrer noopener">site</a>',
    );
    expect(render('[mail](mailto:a@example.com)')).toContain('href="mailto:a@example.com"');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'command:workbench.action.terminal.new',
      'vscode://file/x',
    ]) {
      const out = render(`[click](${bad})`);
      expect(out).not.toContain('<a');
      expect(out).toContain('click');
    }
  });

  it('never loads an image: it becomes a link to open, or a label', () => {
    expect(render('![cat](https://example.com/cat.png)')).toBe(
      '<p><a href="https://example.com/cat.png" title="https://example.com/cat.png" rel="noreferrer noopener">[image: cat]</a></p>\n',
    );
    expect(render('![](javascript:x)')).toBe('<p>[image: untitled]</p>\n');
  });

  it('shows task list boxes as characters, not inputs', () => {
    const out = render('- [x] done\n- [ ] open');
    expect(out).toContain('☑ done');
    expect(out).toContain('☐ open');
    expect(out).not.toContain('<input');
  });

  it('keeps the line breaks the user typed, and Markdown rules for replies', () => {
    expect(render('one\ntwo', 'typed')).toContain('one<br>two');
    expect(render('one\ntwo', 'reply')).not.toContain('<br>');
  });

  it('renders a message of exactly the size limit as Markdown', () => {
    const text = `# Title\n\n${'y'.repeat(MAX_MARKDOWN_LENGTH - 9)}`;
    expect(text).toHaveLength(MAX_MARKDOWN_LENGTH);
    expect(render(text)).toContain('<h1>Title</h1>');
    expect(new IncrementalMarkdown('reply').render(text).join('')).toContain('<h1>Title</h1>');
  });

  it('shows a message past the size limit as plain, escaped text', () => {
    const text = `# not a heading <b>x</b> ${'y'.repeat(MAX_MARKDOWN_LENGTH)}`;
    const out = render(text);
    expect(out.startsWith('<pre class="plain-text"># not a heading &lt;b&gt;x&lt;/b&gt;')).toBe(true);
    expect(render('# small')).toContain('<h1>');
  });
});

describe('IncrementalMarkdown', () => {
  const reply = [
    'Setext title',
    '============',
    '',
    'Text with `code` and [a link](https://example.com).',
    '',
    '1. First:',
    '',
    '   ```python',
    '   def f(x):',
    '       return x * 2',
    '   ```',
    '',
    '2. Second.',
    '',
    '> quote',
    '',
    '| a | b |',
    '| - | - |',
    '| 1 | 2 |',
    '',
    'Closing',
    '---',
    'after.',
  ].join('\n');

  it('ends exactly as the whole text rendered at once, however it was cut', () => {
    const whole = render(reply);
    for (const step of [1, 3, 17]) {
      const incremental = new IncrementalMarkdown('reply');
      let blocks: string[] = [];
      for (let end = step; end < reply.length + step; end += step) blocks = incremental.render(reply.slice(0, end));
      expect(html(renderFragments(blocks))).toBe(whole);
    }
  });

  it('starts over when the text is replaced rather than extended', () => {
    const incremental = new IncrementalMarkdown('reply');
    incremental.render('# One\n\npara one\n\npara two\n\npara three');
    expect(incremental.render('# Two').join('')).toBe('<h1>Two</h1>\n');
  });

  it('renders the whole text when a reference link appears, so it resolves', () => {
    const incremental = new IncrementalMarkdown('reply');
    const text = 'See [the docs][d].\n\npara\n\npara\n\n[d]: https://example.com/docs';
    expect(incremental.render(text).join('')).toContain('<a href="https://example.com/docs"');
  });

  it('falls back to plain text past the size limit', () => {
    const incremental = new IncrementalMarkdown('reply');
    expect(incremental.render('x'.repeat(MAX_MARKDOWN_LENGTH + 1))).toEqual([
      `<pre class="plain-text">${'x'.repeat(MAX_MARKDOWN_LENGTH + 1)}</pre>`,
    ]);
  });

  it('starts over, not from the end, when the new text only ends like the old one', () => {
    const incremental = new IncrementalMarkdown('reply');
    incremental.render('# Old\n\nfirst\n\nsecond\n\nthird');
    expect(incremental.render('# New\n\nthird').join('')).toBe('<h1>New</h1>\n<p>third</p>\n');
  });

  it('a reference defined later resolves in blocks rendered before it, as the text grows', () => {
    const incremental = new IncrementalMarkdown('reply');
    const head = 'See [the docs][d].\n\npara one\n\npara two\n\npara three\n\n';
    expect(incremental.render(head).join('')).not.toContain('<a ');
    expect(incremental.render(`${head}[d]: https://example.com/docs`).join('')).toContain(
      '<a href="https://example.com/docs"',
    );
    expect(incremental.render(`${head}[d]: https://example.com/docs\n\nmore`).join('')).toContain('<p>more</p>');
  });

  it('treats a lone CR as a line break too', () => {
    expect(new IncrementalMarkdown('reply').render('# A\r\rtext').join('')).toBe(
      new IncrementalMarkdown('reply').render('# A\n\ntext').join(''),
    );
  });

  it('treats CRLF as LF', () => {
    expect(new IncrementalMarkdown('reply').render('# A\r\n\r\ntext').join('')).toBe(
      new IncrementalMarkdown('reply').render('# A\n\ntext').join(''),
    );
  });
});

function renderFragments(blocks: string[]): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = blocks.join('');
  return template.content;
}

describe('sanitizeHtml on raw HTML', () => {
  it.each([
    ['<script>x()</script>ok', 'ok'],
    ['<img src=x onerror="x()">', ''],
    ['<a href="javascript:x()">a</a>', '<a rel="noreferrer noopener">a</a>'],
    [
      '<a href="https://ok.example" onclick="x()">a</a>',
      '<a href="https://ok.example" rel="noreferrer noopener">a</a>',
    ],
    ['<div style="color:red" class="c">d</div>', '<div class="c">d</div>'],
    ['<iframe src="https://x"></iframe><p>p</p>', '<p>p</p>'],
    ['<svg onload="x()"><circle></circle></svg>', ''],
    ['<span data-evil="1" aria-hidden="true" data-lang="ts">s</span>', '<span data-lang="ts">s</span>'],
    [
      '<button type="button" data-action="copy" aria-label="Copy">b</button>',
      '<button type="button" data-action="copy" aria-label="Copy">b</button>',
    ],
    ['<form action="https://x"><input value="1"></form>', ''],
    ['<a href="data:text/html,x">d</a>', '<a rel="noreferrer noopener">d</a>'],
    ['<ol start="3"><li>c</li></ol>', '<ol start="3"><li>c</li></ol>'],
    ['<td align="left">t</td>', 't'],
  ])('%s → %s', (input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });
});

/** What only the sanitizer stops: the renderer never emits these, so no Markdown test can see them. */
const ONLY_THE_SANITIZER = [
  // Raw HTML blocks, blank lines inside.
  '<div>\n\n<img src=x onerror="x()">\n\n</div>',
  '<table><tr><td>\n\n<iframe src="javascript:x()"></iframe>\n\n</td></tr></table>',
  // The links a renderer would make of `javascript:` reference definitions.
  '<a href="&#106;avascript:x()">entity</a>',
  '<a href=" javascript:x()">spaced</a>',
  '<a href="jav&#x09;ascript:x()">tab</a>',
  '<a href="JAVASCRIPT:x()">upper</a>',
  // SVG and MathML, and mutation XSS through their namespaces.
  '<svg><animate onbegin="x()" attributeName="x" dur="1s"></animate></svg>',
  '<svg><set attributeName="href" to="javascript:x()"></set><a><text>set</text></a></svg>',
  '<math href="javascript:x()"><mi>math</mi></math>',
  '<svg><foreignObject><iframe srcdoc="<script>x()</script>"></iframe></foreignObject></svg>',
  '<svg></p><style><a id="</style><img src=1 onerror="x()">">',
  '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror="x()" src=1>">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror="x()">',
  '<math><maction actiontype="statusline" xlink:href="javascript:x()">maction</maction></math>',
];

describe('sanitizeHtml on what only it stops', () => {
  it.each(ONLY_THE_SANITIZER)('%s: only allowed elements, no handler, no unsafe link', (input) => {
    const holder = document.createElement('div');
    holder.innerHTML = sanitizeHtml(input);
    const all = [...holder.querySelectorAll('*')];
    const allowed =
      /^(p|br|hr|h[1-6]|strong|em|del|code|pre|blockquote|ul|ol|li|table|thead|tbody|tr|th|td|a|span|div|button)$/;
    expect(all.map((element) => element.localName).filter((name) => !allowed.test(name))).toEqual([]);
    expect(
      all.flatMap((element) => element.getAttributeNames().filter((name) => /^on|^xlink|^style$/i.test(name))),
    ).toEqual([]);
    const links = all.map((element) => element.getAttribute('href')).filter((href) => href !== null);
    expect(links.filter((href) => !/^(https?:|mailto:)/i.test(href!))).toEqual([]);
  });
});
