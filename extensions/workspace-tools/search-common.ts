/** What the ripgrep and Node searches share, so both give the same answer in the same shape. */

/** Files over this size are not searched (logs, dumps, bundles). */
export const MAX_SEARCHED_FILE_BYTES = 16 * 1024 * 1024;
/** A matching line longer than this is shown cut around the match. */
const MAX_LINE_CHARS = 240;

/** A search the model asked for that cannot run (a bad regular expression): said back to it. */
export class SearchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchError';
  }
}

/** A long line cut to a window around `column` (1-based), with `…` where it was cut. */
export function cutLine(text: string, column: number): string {
  const line = text.replace(/\r?\n$|\r$/, '');
  if (line.length <= MAX_LINE_CHARS) return line;
  const start = Math.max(0, Math.min(column - 1 - 80, line.length - MAX_LINE_CHARS));
  const end = start + MAX_LINE_CHARS;
  return `${start > 0 ? '…' : ''}${line.slice(start, end)}${end < line.length ? '…' : ''}`;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** The JavaScript expression for a query (the Node search; ripgrep parses its own). */
export function queryRegex(pattern: string, isRegex: boolean, caseSensitive: boolean): RegExp {
  const source = isRegex ? pattern : pattern.replace(REGEX_SPECIAL, '\\$&');
  try {
    return new RegExp(source, caseSensitive ? '' : 'i');
  } catch (error) {
    throw new SearchError(
      `The regular expression ${JSON.stringify(pattern)} is not valid: ${(error as Error).message}`,
    );
  }
}
