import hljs from 'highlight.js/lib/common';

/** Past this size a code block is shown plain: highlighting it would stall the view. */
const MAX_HIGHLIGHT_LENGTH = 60_000;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Language id as written in a fence, reduced to characters safe in a class name. */
export function fenceLanguage(info: string | undefined): string {
  const word = (info ?? '').trim().split(/\s+/)[0] ?? '';
  return word
    .replace(/[^\w+#.-]/g, '')
    .slice(0, 40)
    .toLowerCase();
}

/**
 * Highlighted HTML of a code block. Only a language named in the fence is used: guessing runs
 * every grammar over the text, which is far too slow for long threads and streaming.
 */
export function highlightCode(code: string, language: string): string {
  if (language && code.length <= MAX_HIGHLIGHT_LENGTH && hljs.getLanguage(language)) {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  }
  return escapeHtml(code);
}
