/**
 * Elements of markup as blocks: in HTML, XML, Vue / Svelte templates and JSX an element that a line
 * opens and does not close runs, like a bracket, to the line that closes it (`<div>` … `</div>`).
 * A heuristic scanner like brackets.ts, not a parser.
 */

/** Languages whose documents hold elements anywhere. */
const MARKUP = new Set(['html', 'xml', 'xsl', 'svg', 'vue', 'svelte', 'astro', 'php', 'handlebars', 'razor']);
/** Languages where an element starts where an expression can (JSX). */
const JSX = new Set(['javascriptreact', 'typescriptreact']);
/** HTML elements that never have a closing tag. */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

export function hasElements(languageId: string): boolean {
  return MARKUP.has(languageId) || JSX.has(languageId);
}

/** In JSX a `<` starts an element after what can come before an expression, never after a name (`useState<string>`, `a < b`). */
function elementCanStart(line: string, at: number): boolean {
  const before = line.slice(0, at).trimEnd();
  return !before || /[([{,=:?!&|;>}]$|\breturn$|=>$/.test(before);
}

/** Where the tag that starts at `at` (just after `<name`) ends: after its `>`, or -1 when it runs past the line. */
function tagEnd(line: string, at: number): { end: number; selfClosed: boolean } {
  let depth = 0;
  for (let index = at; index < line.length; index++) {
    const char = line[index]!;
    if (char === '"' || char === "'") {
      const close = line.indexOf(char, index + 1);
      if (close < 0) return { end: -1, selfClosed: false };
      index = close;
    } else if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (char === '>' && depth <= 0) return { end: index + 1, selfClosed: line[index - 1] === '/' };
  }
  return { end: -1, selfClosed: false };
}

/**
 * How many elements the line leaves open (negative: how many of those opened before it it closes):
 * `<name …>` opens one, `</name>` and `<>` / `</>` close or open a fragment, `<name …/>` and void
 * elements open none. A tag still open at the end of the line (attributes on the next lines) counts
 * as opened, and a line starting with `/>` ends such a tag without an element.
 */
export function elementBalance(line: string, languageId: string): number {
  if (!hasElements(languageId)) return 0;
  const jsx = JSX.has(languageId);
  let balance = /^\s*\/>/.test(line) ? -1 : 0;
  for (let index = line.indexOf('<'); index >= 0 && index < line.length; index = line.indexOf('<', index + 1)) {
    if (line.startsWith('<!--', index)) {
      const close = line.indexOf('-->', index);
      if (close < 0) break;
      index = close;
      continue;
    }
    const closing = /^<\/([A-Za-z][\w.:-]*)?\s*>/.exec(line.slice(index));
    if (closing) {
      balance--;
      index += closing[0].length - 1;
      continue;
    }
    if (line.startsWith('<>', index)) {
      if (!jsx || elementCanStart(line, index)) balance++;
      continue;
    }
    const name = /^<([A-Za-z][\w.:-]*)/.exec(line.slice(index))?.[1];
    if (!name || (jsx && !elementCanStart(line, index))) continue;
    const { end, selfClosed } = tagEnd(line, index + 1 + name.length);
    if (end < 0) {
      // Attributes go on below: the element is open until its `/>` or its closing tag.
      if (/^(\s+[\w:@.#-]+(=|\s|$)|\s*$|\s+\{)/.test(line.slice(index + 1 + name.length))) balance++;
      break;
    }
    if (!selfClosed && !VOID.has(name.toLowerCase())) balance++;
    index = end - 1;
  }
  return balance;
}

/** Whether a line starts by closing an element (`</div>`, `</>`, `/>`). */
export function startsWithElementCloser(line: string): boolean {
  return /^\s*(<\/|\/>)/.test(line);
}
