import type { CompletionContext } from '../context';

/** A Markdown code fence line: three backticks or tildes, maybe a language. */
const FENCE = /^[ \t]*(```|~~~)[\w+#.-]*[ \t]*$/;
/** Documents where a fence is the document's own text. */
const FENCED_LANGUAGES = new Set(['markdown', 'mdx', 'quarto', 'rmd']);

export function isFence(line: string): boolean {
  return FENCE.test(line);
}

/**
 * The code in a completion that a chat model wrapped in a Markdown fence (```` ```ts ```` … ```` ``` ````,
 * often with prose after it): where the code starts in `raw` (after the opening fence line) and where
 * it ends (at the closing fence; undefined while none has come). A completion that does not start
 * with a fence, or any completion in a Markdown document, is all code. `pending`: the first line is
 * not complete and may still turn out to be a fence.
 */
export function fencedCode(
  raw: string,
  context: CompletionContext,
): { start: number; end: number | undefined; pending: boolean } {
  const all = { start: 0, end: undefined, pending: false };
  if (FENCED_LANGUAGES.has(context.languageId)) return all;
  const opening = /^(?:[ \t]*\r?\n)*([^\n]*)(\n|$)/.exec(raw)!;
  const line = opening[1]!.replace(/\r$/, '');
  if (!opening[2]) {
    if (isFence(line)) return { start: raw.length, end: undefined, pending: true };
    return { ...all, pending: /^[ \t]*(`{1,2}|~{1,2})$/.test(line) };
  }
  if (!isFence(line)) return all;
  const start = opening[0].length;
  const closing = /^[ \t]*(```|~~~)[ \t]*\r?$/m.exec(raw.slice(start));
  return { start, end: closing ? start + closing.index : undefined, pending: false };
}
