/**
 * Search/replace edits as small models write them: the search text is found exactly, or else
 * with whitespace ignored (other indentation, spaces, tabs, trailing blanks, blank lines); a
 * multi-line replacement is re-indented to where it lands. Every edit must match exactly once;
 * one that matches nowhere or twice fails the whole call with a message naming its text, so the
 * model can correct it, and nothing is written.
 */

export interface SearchReplace {
  search: string;
  replace: string;
}

export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}

const QUOTE_CHARS = 160;

function quote(text: string): string {
  const flat = text.trim().replace(/\s*\n\s*/g, '⏎');
  return flat.length > QUOTE_CHARS ? `"${flat.slice(0, QUOTE_CHARS)}…"` : `"${flat}"`;
}

const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

function exactOccurrences(text: string, search: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) found.push(at);
  return found;
}

/** `text` with whitespace removed, and for each kept character its offset in `text`. */
function stripWhitespace(text: string): { stripped: string; offsets: number[] } {
  const offsets: number[] = [];
  let stripped = '';
  for (let index = 0; index < text.length; index += 1) {
    if (/\s/.test(text[index])) continue;
    stripped += text[index];
    offsets.push(index);
  }
  return { stripped, offsets };
}

interface Match {
  start: number;
  end: number;
  /** The match was found with whitespace ignored: a multi-line replacement is re-indented. */
  tolerant: boolean;
}

function whitespaceInsensitive(search: string, strippedText: ReturnType<typeof stripWhitespace>): Match[] {
  const needle = stripWhitespace(search).stripped;
  return exactOccurrences(strippedText.stripped, needle).map((at) => ({
    start: strippedText.offsets[at],
    end: strippedText.offsets[at + needle.length - 1] + 1,
    tolerant: true,
  }));
}

const indentOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

function columns(indent: string, tabSize: number): number {
  let width = 0;
  for (const char of indent) width = char === '\t' ? width + tabSize - (width % tabSize) : width + 1;
  return width;
}

const textLines = (text: string, skip: number): string[] =>
  text
    .split('\n')
    .slice(skip)
    .filter((line) => line.trim() !== '');

/**
 * For each indentation the search text uses, the one the file has on the same line of the
 * match (compared from the second line when the match starts inside a line).
 */
function indentMap(search: string, matched: string, skip: number, tabSize: number): Map<number, number> {
  const wanted = textLines(search, skip);
  const found = textLines(matched, skip);
  const map = new Map<number, number>();
  if (wanted.length !== found.length) {
    // Lines broken differently: one shift, from the first line of each.
    if (wanted.length > 0 && found.length > 0)
      map.set(columns(indentOf(wanted[0]), tabSize), columns(indentOf(found[0]), tabSize));
    return map;
  }
  wanted.forEach((line, index) => {
    const column = columns(indentOf(line), tabSize);
    if (!map.has(column)) map.set(column, columns(indentOf(found[index]), tabSize));
  });
  return map;
}

/** Where a replacement line indented `column` goes: as the search line so indented, else shifted like the nearest. */
function mapColumn(column: number, map: Map<number, number>): number {
  const exact = map.get(column);
  if (exact !== undefined) return exact;
  const keys = [...map.keys()].sort((a, b) => a - b);
  if (keys.length === 0) return column;
  const below = keys.filter((key) => key < column).pop();
  const key = below ?? keys[0];
  return Math.max(0, (map.get(key) as number) + column - key);
}

/**
 * Re-indents `replace` to the file's indentation at the match (the first line kept as written
 * when the match starts inside a line).
 */
function reindent(replace: string, search: string, matched: string, midLine: boolean): string {
  const skip = midLine ? 1 : 0;
  const tabSize = 4;
  const map = indentMap(search, matched, skip, tabSize);
  const useTabs = textLines(matched, skip).some((line) => line.startsWith('\t'));
  const render = (width: number): string =>
    useTabs ? '\t'.repeat(Math.floor(width / tabSize)) + ' '.repeat(width % tabSize) : ' '.repeat(width);
  return replace
    .split('\n')
    .map((line, index) => {
      if (index < skip) return line;
      return line.trim() === '' ? '' : render(mapColumn(columns(indentOf(line), tabSize), map)) + line.trimStart();
    })
    .join('\n');
}

/** A file line that looks most like the search's first line, to show the model what is really there. */
function closestLine(text: string, search: string): string {
  const wanted = (search.split('\n').find((line) => line.trim() !== '') ?? '').trim();
  const words = new Set(wanted.split(/\W+/).filter(Boolean));
  if (words.size === 0) return '';
  let best = { score: 0, line: 0, text: '' };
  text.split('\n').forEach((line, index) => {
    const score = line.split(/\W+/).filter((word) => words.has(word)).length / words.size;
    if (score > best.score) best = { score, line: index + 1, text: line.trim() };
  });
  return best.score >= 0.5 ? ` The closest line is ${best.line}: ${quote(best.text)}.` : '';
}

function findOne(text: string, edit: SearchReplace, label: string, path: string): Match {
  const exact = exactOccurrences(text, edit.search);
  if (exact.length === 1) return { start: exact[0], end: exact[0] + edit.search.length, tolerant: false };
  const matches =
    exact.length > 1
      ? exact.map((start) => ({ start, end: start + edit.search.length, tolerant: false }))
      : whitespaceInsensitive(edit.search, stripWhitespace(text));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0)
    throw new EditError(
      `${label}: the search text ${quote(edit.search)} was not found in ${path}.${closestLine(text, edit.search)} Read the file and copy the text to replace exactly.`,
    );
  const lines = matches.slice(0, 5).map((match) => lineOf(text, match.start));
  throw new EditError(
    `${label}: the search text ${quote(edit.search)} matches ${matches.length} places in ${path} (lines ${lines.join(', ')}${matches.length > 5 ? ', …' : ''}). Include more lines around it so it matches once.`,
  );
}

/**
 * Widens a whitespace-tolerant match to whole lines where it starts and ends at a line's text,
 * so the indentation is replaced too. `midLine`: code precedes the match on its first line.
 */
function wholeLines(text: string, match: Match): Match & { midLine: boolean } {
  const lineStart = text.lastIndexOf('\n', match.start - 1) + 1;
  const nextBreak = text.indexOf('\n', match.end);
  const lineEnd = nextBreak === -1 ? text.length : nextBreak;
  const midLine = text.slice(lineStart, match.start).trim() !== '';
  const endsLine = text.slice(match.end, lineEnd).trim() === '';
  return { ...match, start: midLine ? match.start : lineStart, end: endsLine ? lineEnd : match.end, midLine };
}

export interface EditedRange {
  /** 1-based first line of the replacement in the new text, and how many lines it has. */
  line: number;
  lines: number;
}

/**
 * Applies the edits in order, each to the result of the ones before. Line endings are matched
 * whatever the file uses and written back in its own (`\r\n` stays `\r\n`).
 */
export function applyEdits(
  original: string,
  edits: SearchReplace[],
  path: string,
): { text: string; ranges: EditedRange[] } {
  if (edits.length === 0) throw new EditError('No edits were given.');
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  let text = original.replace(/\r\n/g, '\n');
  const ranges: EditedRange[] = [];
  edits.forEach((raw, index) => {
    const label = edits.length > 1 ? `Edit ${index + 1} of ${edits.length}` : 'The edit';
    const edit = { search: raw.search.replace(/\r\n/g, '\n'), replace: raw.replace.replace(/\r\n/g, '\n') };
    if (edit.search.trim() === '') {
      if (text.trim() !== '') throw new EditError(`${label}: the search text is empty; give the text to replace.`);
      ranges.push({ line: 1, lines: edit.replace.split('\n').length });
      text = edit.replace;
      return;
    }
    let match = findOne(text, edit, label, path);
    let replacement = edit.replace;
    if (match.tolerant && edit.search.trim().includes('\n')) {
      const widened = wholeLines(text, match);
      match = widened;
      const replace = edit.replace.replace(/^\n+|\n+$/g, '');
      replacement = reindent(
        replace,
        edit.search.replace(/^\n+/, ''),
        text.slice(match.start, match.end),
        widened.midLine,
      );
    }
    text = text.slice(0, match.start) + replacement + text.slice(match.end);
    ranges.push({ line: lineOf(text, match.start), lines: replacement.split('\n').length });
  });
  if (text === original.replace(/\r\n/g, '\n')) throw new EditError(`The edits leave ${path} unchanged.`);
  return { text: eol === '\n' ? text : text.replace(/\n/g, eol), ranges };
}
