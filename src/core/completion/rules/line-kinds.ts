import { scanBrackets, startsWithCloser, withoutComment, type CommentStyle } from './brackets';
import { startsWithElementCloser } from './markup';

/**
 * What a line of code does to the lines around it, read from its text alone: the shared vocabulary
 * of the scope and indentation rules.
 */

/** Lines that continue the block before them at its own indentation (`else`, `except:`…), and a brace alone on its line (Allman style). */
export const CONTINUATION = /^(?:(?:else|elif|elsif|except|finally|catch|rescue|ensure)\b|\{$)/;
/** In a block of braces, a `case` at the level of its `switch` (Go, some C styles) is inside it. */
export const CASE = /^(?:case|default)\b/;
/** A line ending with a binary operator, `=` or a backslash continues on the next one (not `i++`, `import *`). */
export const CONTINUED_AFTER = /(?:[-+*/%&|^=?\\]|&&|\|\|)$(?<!\+\+|--|import \*)/;
/** A line continuing the statement above it (`.then(…)`, `&& ready`, `? a`, `: b`, `| 'red'`). */
export const CONTINUED_BY = /^(?:\?\.|\.(?!\.)|&&|\|\||\|>|[?:+|]\s)/;

/** Whether a line ends by opening a block: `{`, `[`, `(`, `:` or `=>`. */
export function endsWithOpener(line: string, style: CommentStyle): boolean {
  return /([{[(:]|=>)$/.test(withoutComment(line, style).trimEnd());
}

/** Whether a line opens a block: it ends with an opener or leaves a bracket open (`foo(a,`). */
export function opensBlock(line: string, style: CommentStyle): boolean {
  return endsWithOpener(line, style) || scanBrackets(withoutComment(line, style), style).open.length > 0;
}

/** A line that introduces the code line after it: a comment alone (a line of a block comment too), or a decorator / annotation. */
export function introduces(line: string, style: CommentStyle): boolean {
  return !withoutComment(line, style).trim() || /^(@[\w.]+|\/\*|\*(\s|\/|$))/.test(line.trim());
}

/** A line that ends a block by its first word: a closing bracket, a closing tag, or `end` (Ruby, Lua, Elixir). */
export function closesBlock(line: string): boolean {
  return startsWithCloser(line) || startsWithElementCloser(line) || /^\s*end\b/.test(line);
}
