import { Marked, type RendererObject, type Token, type Tokens } from 'marked';
import { allowedLink } from '@jan/protocol';
import { escapeHtml, fenceLanguage, highlightCode } from './highlight';
import { sanitizeHtml, sanitizeToFragment } from './sanitize';

/** Past this size a message is shown as plain text: Markdown on a pasted file is not worth a stall. */
export const MAX_MARKDOWN_LENGTH = 200_000;
const BLOCK_CACHE_SIZE = 4000;

const CODE_ACTIONS: Array<[action: string, icon: string, label: string]> = [
  ['copy', 'copy', 'Copy code'],
  ['insert', 'insert', 'Insert code at cursor'],
  ['apply', 'git-compare', 'Apply code to the active editor (shows a diff first)'],
];

function codeBlockHtml(code: string, info: string | undefined): string {
  const language = fenceLanguage(info);
  // The rest of the info string names where the code came from (`ts src/a.ts:3-9`).
  const source = (info ?? '').trim().split(/\s+/).slice(1).join(' ');
  const buttons = CODE_ACTIONS.map(
    ([action, icon, label]) =>
      `<button type="button" class="code-action" data-action="${action}" aria-label="${label}" title="${label}"><span class="codicon codicon-${icon}"></span></button>`,
  ).join('');
  return (
    `<div class="code-block"><div class="code-header"><span class="code-lang">${escapeHtml(language || 'text')}</span>` +
    (source ? `<span class="code-source" title="${escapeHtml(source)}">${escapeHtml(source)}</span>` : '') +
    `<span class="code-actions">${buttons}</span></div>` +
    `<pre><code class="hljs" data-lang="${escapeHtml(language)}">${highlightCode(code, language)}</code></pre></div>`
  );
}

const renderer: RendererObject = {
  // Model output is untrusted: HTML in it is shown as the text it is, never parsed.
  html({ text }: Tokens.HTML | Tokens.Tag): string {
    return escapeHtml(text);
  },
  code({ text, lang }: Tokens.Code): string {
    return codeBlockHtml(text, lang);
  },
  link({ href, title, tokens }: Tokens.Link): string {
    const inner = this.parser.parseInline(tokens);
    const safe = allowedLink(href);
    if (!safe) return inner;
    return `<a href="${escapeHtml(safe)}" title="${escapeHtml(title || safe)}">${inner}</a>`;
  },
  // No remote images: an image becomes a link the user may choose to open.
  image({ href, text }: Tokens.Image): string {
    const label = `[image: ${escapeHtml(text || 'untitled')}]`;
    const safe = allowedLink(href);
    return safe ? `<a href="${escapeHtml(safe)}" title="${escapeHtml(safe)}">${label}</a>` : label;
  },
  checkbox({ checked }: Tokens.Checkbox): string {
    return checked ? '☑ ' : '☐ ';
  },
};

/** Replies follow Markdown's rules; what the user typed keeps its line breaks. */
const parsers = {
  reply: new Marked({ gfm: true, breaks: false, async: false }).use({ renderer }),
  typed: new Marked({ gfm: true, breaks: true, async: false }).use({ renderer }),
};
export type MarkdownFlavor = keyof typeof parsers;

/** Rendered blocks by their Markdown source: finished blocks of a streaming reply render once. */
const blockCache = new Map<string, string>();

function renderBlock(flavor: MarkdownFlavor, token: Token, cacheable: boolean): string {
  const key = `${flavor}:${token.raw}`;
  const cached = cacheable ? blockCache.get(key) : undefined;
  if (cached !== undefined) {
    blockCache.delete(key);
    blockCache.set(key, cached);
    return cached;
  }
  const html = sanitizeHtml(parsers[flavor].parser([token]));
  if (cacheable) {
    blockCache.set(key, html);
    if (blockCache.size > BLOCK_CACHE_SIZE) blockCache.delete(blockCache.keys().next().value as string);
  }
  return html;
}

function plainText(text: string): string {
  return `<pre class="plain-text">${escapeHtml(text)}</pre>`;
}

/** A finished message, rendered and sanitized in one pass. */
export function renderMarkdown(text: string, flavor: MarkdownFlavor = 'reply'): DocumentFragment {
  return sanitizeToFragment(
    text.length > MAX_MARKDOWN_LENGTH ? plainText(text) : parsers[flavor].parse(text, { async: false }),
  );
}

/**
 * A message being written, rendered block by block as it grows. Blocks followed by two more
 * are final (Markdown cannot change them any more) and are neither lexed nor rendered again,
 * so each frame costs only the last blocks, however long the reply gets.
 */
export class IncrementalMarkdown {
  private text = '';
  private stableLength = 0;
  private stable: string[] = [];

  constructor(private readonly flavor: MarkdownFlavor) {}

  render(input: string): string[] {
    const text = input.replace(/\r\n?/g, '\n');
    if (text.length > MAX_MARKDOWN_LENGTH) return [plainText(text)];
    if (!text.startsWith(this.text)) {
      this.stable = [];
      this.stableLength = 0;
    }
    this.text = text;
    const tokens = parsers[this.flavor].lexer(text.slice(this.stableLength));
    if (Object.keys(tokens.links).length > 0) {
      // Reference links resolve against definitions anywhere: render the whole text each time.
      this.stable = [];
      this.stableLength = 0;
      return parsers[this.flavor]
        .lexer(text)
        .filter(isBlock)
        .map((token) => renderBlock(this.flavor, token, false));
    }
    let after = tokens.filter(isBlock).length;
    const open: string[] = [];
    for (const token of tokens) {
      if (isBlock(token)) after--;
      if (after >= 2 && open.length === 0) {
        this.stableLength += token.raw.length;
        if (isBlock(token)) this.stable.push(renderBlock(this.flavor, token, false));
      } else if (isBlock(token)) {
        open.push(renderBlock(this.flavor, token, true));
      }
    }
    return [...this.stable, ...open];
  }
}

function isBlock(token: Token): boolean {
  return token.type !== 'space' && token.type !== 'def';
}
