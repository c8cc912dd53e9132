/**
 * A small bracket scanner shared by the rules: which brackets a piece of code opens and closes,
 * ignoring strings and line comments. It is a heuristic for ghost text, not a parser: a string
 * never spans lines, and a quote only opens one when the same quote closes it later on the line
 * (so a Rust lifetime `'a` or an apostrophe in prose does not swallow the rest of the line).
 */

const OPENERS = '([{';
const CLOSERS = ')]}';
const QUOTES = `"'\``;

/** An open bracket, or a string opened by a quote; `at` is its index in the scanned text, -1 before it. */
export interface Opened {
  char: string;
  at: number;
  /** A string whose `{…}` holds code: a Python f-string or a C# `$"…"`. */
  interpolates?: boolean;
}

/** A closer in the scanned text, and where the bracket or string it closes was opened (-1: before the text). */
export interface Closed {
  at: number;
  openedAt: number;
}

export interface Scan {
  /** What is still open at the end; strings never stay open past the end of a line. */
  open: Opened[];
  closed: Closed[];
  /** Closing brackets that close nothing open (or not the innermost bracket), by index. */
  stray: number[];
  /** Where the first line comment starts, -1 without one. */
  commentAt: number;
}

/** Where line comments start in the language (`#` for Python, YAML, shells…, `//` elsewhere; both when unknown). */
export type CommentStyle = 'hash' | 'slash' | 'both';

const HASH_LANGUAGES = new Set([
  'python',
  'yaml',
  'shellscript',
  'ruby',
  'perl',
  'r',
  'toml',
  'makefile',
  'dockerfile',
  'powershell',
  'coffeescript',
  'elixir',
]);
const SLASH_LANGUAGES = new Set([
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
  'go',
  'rust',
  'c',
  'cpp',
  'csharp',
  'java',
  'kotlin',
  'swift',
  'scala',
  'dart',
  'php',
  'json',
  'jsonc',
  'css',
  'scss',
  'less',
]);

export function commentStyle(languageId: string): CommentStyle {
  if (HASH_LANGUAGES.has(languageId)) return 'hash';
  return SLASH_LANGUAGES.has(languageId) ? 'slash' : 'both';
}

function commentStarts(text: string, index: number, style: CommentStyle): boolean {
  if (style !== 'hash' && text.startsWith('//', index)) return true;
  // An unknown language only treats `#` as a comment at the start of a word (not `#include`-like directives' brackets).
  if (style === 'hash') return text[index] === '#';
  return (
    style === 'both' &&
    text[index] === '#' &&
    (index === 0 || /\s/.test(text[index - 1]!)) &&
    /\s/.test(text[index + 1] ?? ' ')
  );
}

function closesLaterOnLine(text: string, index: number, quote: string): boolean {
  for (let at = index + 1; at < text.length && text[at] !== '\n'; at++) {
    if (text[at] === '\\') at++;
    else if (text[at] === quote) return true;
  }
  return false;
}

/** Scans `text` starting with the brackets `open` before it. */
export function scanBrackets(text: string, style: CommentStyle, open: readonly Opened[] = []): Scan {
  const stack: Opened[] = open.map((entry) => ({ ...entry, at: -1 }));
  const closed: Closed[] = [];
  const stray: number[] = [];
  let commentAt = -1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    const top = stack.at(-1);
    if (top && QUOTES.includes(top.char)) {
      if (char === '\\') index++;
      else if (char === top.char) closed.push({ at: index, openedAt: stack.pop()!.at });
      else if (char === '\n') stack.pop();
      // Code inside a string: `${…}` (template literals, Kotlin, Dart, shells) or `{…}` in an interpolating string.
      else if (char === '$' && text[index + 1] === '{') stack.push({ char: '{', at: ++index });
      else if (char === '{' && top.interpolates) {
        if (text[index + 1] === '{') index++;
        else stack.push({ char, at: index });
      }
      continue;
    }
    if (char === '\n') continue;
    if (commentStarts(text, index, style)) {
      if (commentAt < 0) commentAt = index;
      const end = text.indexOf('\n', index);
      if (end < 0) break;
      index = end - 1;
    } else if (QUOTES.includes(char)) {
      if (closesLaterOnLine(text, index, char))
        stack.push({
          char,
          at: index,
          interpolates: /(?:^|[^\w])[rRbB]?[fF][rRbB]?$|\$@?$|@\$$/.test(text.slice(Math.max(0, index - 3), index)),
        });
    } else if (OPENERS.includes(char)) stack.push({ char, at: index });
    else if (CLOSERS.includes(char)) {
      if (top?.char === OPENERS[CLOSERS.indexOf(char)]) closed.push({ at: index, openedAt: stack.pop()!.at });
      else stray.push(index);
    }
  }
  const last = stack.at(-1);
  if (last && QUOTES.includes(last.char)) stack.pop();
  return { open: stack, closed, stray, commentAt };
}

/** Whether `text` holds only what an editor auto-closes (brackets, quotes) and what ends a statement after them. */
export function onlyClosers(text: string): boolean {
  return /^[\s)\]}"'`;,]*$/.test(text);
}

/** A line of code that starts by closing a bracket (`}`, `});`, `} else {`). */
export function startsWithCloser(line: string): boolean {
  return CLOSERS.includes(line.trimStart()[0] ?? '');
}

/** The line without a trailing line comment, for "does it end with `:`" checks. */
export function withoutComment(line: string, style: CommentStyle): string {
  const at = scanBrackets(line, style).commentAt;
  return at < 0 ? line : line.slice(0, at);
}
