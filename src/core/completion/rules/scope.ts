import type { CompletionContext } from '../context';
import { multiLineAllowed } from './auto-closed';
import { commentStyle, scanBrackets, startsWithCloser, withoutComment, type CommentStyle } from './brackets';
import { indentOf } from './indent';
import { opensBlock } from './indentation';

/** Lines that continue the block before them at its own indentation (`else`, `except:`…), and a brace alone on its line (Allman style). */
const CONTINUATION = /^(?:(?:else|elif|except|finally|catch)\b|\{$)/;
/** In a block of braces, a `case` at the level of its `switch` (Go, some C styles) is inside it. */
const CASE = /^(?:case|default)\b/;
/** A line ending with a binary operator, `=` or a backslash continues on the next one (not `i++`, `import *`). */
const CONTINUED_AFTER = /(?:[-+*/%&|^=?\\]|&&|\|\|)$(?<!\+\+|--|import \*)/;
/** A line continuing the statement above it (`.then(…)`, `&& ready`, `? a`, `: b`, `| 'red'`). */
const CONTINUED_BY = /^(?:\?\.|\.(?!\.)|&&|\|\||\|>|[?:+|]\s)/;

/** A line that introduces the code line after it: a comment alone (a line of a block comment too), or a decorator / annotation. */
function introduces(line: string, style: CommentStyle): boolean {
  return !withoutComment(line, style).trim() || /^(@[\w.]+|\/\*|\*(\s|\/|$))/.test(line.trim());
}

/**
 * How many lines of the completion belong to what the user is writing. Mid-line (code after the
 * cursor other than closing characters): the rest of the line. Otherwise the statement the
 * completion starts with and, when it opens a block (a bracket left open, or a line ending in `:`),
 * that whole block up to its closer, with `else` / `catch` parts. A completion that starts with a
 * line break after a line that opens nothing starts at its first line of code. After that, only
 * lines that close blocks opened before the cursor (with what they reopen: `} catch (e) {`) are kept;
 * the ones the code after the cursor already has are dropped by `suffixDuplicateStart`.
 */
export function scopeLineCount(lines: readonly string[], context: CompletionContext): number {
  if (!multiLineAllowed(context)) return Math.min(1, lines.length);
  const style = commentStyle(context.languageId);
  let anchor = 0;
  if (!lines[0]!.trim() && !(context.linePrefix.trim() && opensBlock(context.linePrefix, style))) {
    anchor = nextCode(lines, 1);
    if (anchor < 0) return lines.length;
  }
  // Comments and decorators belong to the code line after them at their indentation (block comments' ` * ` lines one deeper).
  let anchorText = anchor === 0 ? context.linePrefix + lines[0]! : lines[anchor]!;
  const introduced = indentOf(anchorText);
  for (
    let next = nextCode(lines, anchor + 1);
    next >= 0 &&
    introduces(anchorText, style) &&
    indentOf(lines[next]!) - introduced <= 1 &&
    indentOf(lines[next]!) >= introduced;
    next = nextCode(lines, next + 1)
  ) {
    anchor = next;
    anchorText = lines[next]!;
  }
  let end = blockEnd(lines, anchor, anchorText, style);
  // A statement continued on the next line: after an operator, by a line (as deep or deeper) starting with one
  // (`.then(…)`), or by its block's brace on a line of its own.
  for (let next = nextCode(lines, end); next >= 0; next = nextCode(lines, end)) {
    const last = end - 1 === 0 ? context.linePrefix + lines[0]! : lines[end - 1]!;
    const continued =
      (!introduces(last, style) && CONTINUED_AFTER.test(withoutComment(last, style).trimEnd())) ||
      (indentOf(lines[next]!) === indentOf(anchorText) &&
        lines[next]!.trim() === '{' &&
        /[\w)]$/.test(withoutComment(last, style).trimEnd())) ||
      (indentOf(lines[next]!) >= indentOf(anchorText) && CONTINUED_BY.test(lines[next]!.trim()));
    if (!continued) break;
    end = blockEnd(lines, next, lines[next]!, style);
  }
  for (
    let next = nextCode(lines, end);
    next >= 0 && indentOf(lines[next]!) < indentOf(anchorText) && startsWithCloser(lines[next]!);
    next = nextCode(lines, end)
  ) {
    end = blockEnd(lines, next, lines[next]!, style);
  }
  return end;
}

/** The line after the block that starts at `start` (whose full text is `startText`) ends. */
function blockEnd(lines: readonly string[], start: number, startText: string, style: CommentStyle): number {
  const startIndent = indentOf(startText);
  // A triple-quoted string (a docstring) left open runs to the line that closes it.
  const triple = /"""|'''/.exec(startText)?.[0];
  if (triple && startText.split(triple).length % 2 === 0) {
    const closing = lines.findIndex((line, index) => index > start && line.includes(triple));
    return closing < 0 ? lines.length : closing + 1;
  }
  let open = scanBrackets(startText, style).open;
  // A line ending with `:` opens an indented block; so does a YAML / Markdown list item for its deeper lines.
  const colon =
    open.length === 0 && (withoutComment(startText, style).trimEnd().endsWith(':') || /^\s*- /.test(startText));
  if (open.length === 0 && !colon) return start + 1;
  const continues = (index: number) =>
    index >= 0 && indentOf(lines[index]!) === startIndent && CONTINUATION.test(lines[index]!.trim());
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line.trim()) continue;
    if (colon) {
      if (indentOf(line) > startIndent || continues(index)) continue;
      return index;
    }
    // A model that never closes the block goes on with the code after it: the block ends there.
    if (indentOf(line) <= startIndent && !startsWithCloser(line) && !continues(index) && !CASE.test(line.trim()))
      return index;
    open = scanBrackets(line, style, open).open;
    if (open.length === 0 && !continues(nextCode(lines, index + 1))) return index + 1;
  }
  return lines.length;
}

function nextCode(lines: readonly string[], from: number): number {
  for (let index = from; index < lines.length; index++) if (lines[index]!.trim()) return index;
  return -1;
}
