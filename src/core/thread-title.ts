/** Titles a new thread gets before its first message names it. */
const DEFAULT_TITLES = new Set(['', 'new thread', 'new chat']);

export const DEFAULT_THREAD_TITLE = 'New Thread';

export function isDefaultTitle(title: string | undefined): boolean {
  return DEFAULT_TITLES.has((title ?? '').trim().toLowerCase());
}

/**
 * A title from the first user message: its first non-empty line that is not a code fence,
 * cut at a word boundary. Instant and deterministic, unlike asking a small local model.
 */
export function titleFromText(text: string, maxLength = 48): string {
  const line = text
    .split('\n')
    .map((candidate) => candidate.trim())
    .find((candidate) => candidate && !candidate.startsWith('```'));
  const clean = (line ?? '').replace(/\s+/g, ' ').replace(/^[#>*\-\s]+/, '');
  if (!clean) return DEFAULT_THREAD_TITLE;
  if (clean.length <= maxLength) return clean;
  const cut = clean.slice(0, maxLength);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
