import type { CompletionContext } from '../context';
import { multiLineAllowed } from './auto-closed';
import { scanBrackets, withoutComment, type CommentStyle } from './brackets';
import { isFence } from './fences';
import { indentOf } from './indent';
import {
  CASE,
  closesBlock,
  CONTINUATION,
  CONTINUED_AFTER,
  CONTINUED_BY,
  endsWithOpener,
  introduces,
  opensBlock,
} from './line-kinds';
import { elementBalance } from './markup';
import { surroundings } from './surroundings';

/** How many lines of a completion the scope keeps, and whether more lines could still change that. */
export interface ScopeEnd {
  count: number;
  /** More lines after these could change `count` (a block not closed yet, an `else` that may come…). */
  open: boolean;
}

/** How far a statement or block reaches, and whether more lines could still extend it. */
interface Reach {
  end: number;
  open: boolean;
  /** Its block is not closed by the last line: the output stopped inside it. */
  unfinished?: boolean;
}

interface Reader {
  lines: readonly string[];
  style: CommentStyle;
  languageId: string;
}

/**
 * How many lines of the completion belong to what the user is writing.
 * - Mid-line (code after the cursor other than closing characters): the rest of the line.
 * - Completing a line (code typed before the cursor): the line and the block it opens, nothing after.
 * - At a line start (or a completion that starts on a new line): the statement the completion starts
 *   with and, when it opens a block (a bracket or an element left open, a line ending in `:`), that
 *   whole block with `else` / `catch` parts, leading comments and lines that continue it. In a block
 *   with no code after the cursor (an empty or just-opened body, or its end), the statements that
 *   follow at its level too, whole ones within `maxLines`, so an empty body is suggested at once.
 * After that, only lines closing blocks opened before the cursor and left open after it are kept
 * (with what they reopen: `} catch (e) {`); the ones the code after the cursor has are dropped by
 * `suffixDuplicateStart`. A line that would end the cursor's block while code of that block follows
 * (a `}` or a dedent mid-block) ends the completion.
 */
export function scopeEnd(lines: readonly string[], context: CompletionContext, maxLines: number): ScopeEnd {
  if (!multiLineAllowed(context)) return { count: Math.min(1, lines.length), open: false };
  const facts = surroundings(context);
  const reader: Reader = { lines, style: facts.style, languageId: context.languageId };
  const style = facts.style;
  let anchor = 0;
  if (!lines[0]!.trim() && !(context.linePrefix.trim() && opensBlock(context.linePrefix, style))) {
    anchor = nextCode(lines, 1);
    if (anchor < 0) return { count: lines.length, open: true };
  }
  const textOf = (index: number) => (index === 0 ? context.linePrefix + lines[0]! : lines[index]!);
  const start = introducedLine(reader, anchor, textOf(anchor));
  if (start.open) return { count: lines.length, open: true };
  anchor = start.end;
  const anchorText = textOf(anchor);
  const completesLine = anchor === 0 && context.linePrefix.trim() !== '';
  let reach = statementReach(reader, anchor, anchorText, textOf, !completesLine);
  if (!reach.open) {
    const level = indentOf(anchorText);
    // A statement that closes a block (`}`, `end`) ends the cursor's block: what follows is not its body.
    const body = !completesLine && level > 0 && !closesBlock(anchorText) && restOfBlockEmpty(context, level);
    if (body) reach = bodyReach(reader, reach, level, maxLines);
    if (!reach.open && !(completesLine && !facts.unclosed))
      reach = closersReach(reader, reach, indentOf(anchorText), facts.unclosed);
  }
  const early = earlyClose(lines, context, Math.max(1, anchor));
  return early < reach.end ? { count: early, open: false } : { count: reach.end, open: reach.open };
}

/** The line a comment or decorator at `from` introduces (at its indentation; block comments' ` * ` lines one deeper). */
function introducedLine(reader: Reader, from: number, fromText: string): Reach {
  const { lines, style } = reader;
  const introducer = indentOf(fromText);
  let at = from;
  let text = fromText;
  while (introduces(text, style)) {
    const next = nextCode(lines, at + 1);
    if (next < 0) return { end: at, open: true };
    const depth = indentOf(lines[next]!) - introducer;
    if (depth < 0 || depth > 1) break;
    at = next;
    text = lines[next]!;
  }
  return { end: at, open: false };
}

/**
 * The statement starting at `start` with its block and the lines that continue it: after an operator,
 * and, unless it completes the cursor's line (whose statement ends with the line), by a line starting
 * with one (`.then(…)`) at its depth or deeper, or by its block's brace on a line of its own.
 */
function statementReach(
  reader: Reader,
  start: number,
  startText: string,
  textOf: (index: number) => string,
  continuedBelow: boolean,
): Reach {
  const { lines, style } = reader;
  let reach = blockReach(reader, start, startText);
  while (!reach.open) {
    const last = textOf(reach.end - 1);
    const afterOperator = !introduces(last, style) && CONTINUED_AFTER.test(withoutComment(last, style).trimEnd());
    const next = nextCode(lines, reach.end);
    if (next < 0) return { end: reach.end, open: afterOperator || continuedBelow };
    const continued =
      afterOperator ||
      (continuedBelow &&
        ((indentOf(lines[next]!) === indentOf(startText) &&
          lines[next]!.trim() === '{' &&
          /[\w)]$/.test(withoutComment(last, style).trimEnd())) ||
          (indentOf(lines[next]!) >= indentOf(startText) && CONTINUED_BY.test(lines[next]!.trim()))));
    if (!continued) return reach;
    reach = blockReach(reader, next, lines[next]!);
  }
  return reach;
}

/** More statements at the body's level, whole ones within the line budget; a trailing comment alone is left out. */
function bodyReach(reader: Reader, first: Reach, level: number, maxLines: number): Reach {
  const { lines } = reader;
  let end = first.end;
  for (;;) {
    const next = nextCode(lines, end);
    if (next < 0) return { end, open: true };
    const depth = indentOf(lines[next]!);
    if (depth < level || (depth === level && closesBlock(lines[next]!))) return { end, open: false };
    const introduced = introducedLine(reader, next, lines[next]!);
    if (introduced.open) return { end, open: true };
    if (introduces(lines[introduced.end]!, reader.style)) return { end, open: false };
    const statement = statementReach(reader, introduced.end, lines[introduced.end]!, (index) => lines[index]!, true);
    if (statement.end > maxLines) return { end, open: false };
    if (statement.unfinished) return { end, open: true };
    end = statement.end;
    if (statement.open) return { end, open: true };
  }
}

/**
 * Lines after the statement that close blocks opened before the cursor: all of them when the code
 * after the cursor leaves those blocks open, otherwise only ones that open the next part of the
 * construct (`} catch (e) {`, `} else {`: the code after the cursor has the last closer).
 */
function closersReach(reader: Reader, reach: Reach, anchorIndent: number, unclosed: boolean): Reach {
  const { lines, style } = reader;
  let end = reach.end;
  for (;;) {
    const next = nextCode(lines, end);
    if (next < 0) return { end, open: true };
    const line = lines[next]!;
    if (indentOf(line) >= anchorIndent || !closesBlock(line) || !(unclosed || endsWithOpener(line, style)))
      return { end, open: false };
    const closer = blockReach(reader, next, line);
    if (closer.open) return closer;
    end = closer.end;
  }
}

/**
 * Whether the block the cursor is in has no code after the cursor: the next line of code is shallower
 * than `level`, or closes the block, or there is none.
 */
function restOfBlockEmpty(context: CompletionContext, level: number): boolean {
  if (context.lineSuffix.trim()) return false;
  const { follow } = surroundings(context);
  if (follow === undefined) return true;
  return indentOf(follow) < level || (indentOf(follow) === level && closesBlock(follow));
}

/**
 * The first line (from `from`) that is shallower than the code after the cursor, which would end the
 * cursor's block before that code (`}` or a dedent mid-block); lines.length when none is.
 */
function earlyClose(lines: readonly string[], context: CompletionContext, from: number): number {
  const { follow } = surroundings(context);
  if (follow === undefined || context.lineSuffix.trim()) return lines.length;
  const depth = indentOf(follow);
  for (let index = from; index < lines.length; index++)
    if (lines[index]!.trim() && indentOf(lines[index]!) < depth) return index;
  return lines.length;
}

/** The line after the block that starts at `start` (whose full text is `startText`) ends. */
function blockReach(reader: Reader, start: number, startText: string): Reach {
  const { lines, style, languageId } = reader;
  const startIndent = indentOf(startText);
  // A triple-quoted string (a docstring) left open runs to the line that closes it; so does a Markdown fence.
  const triple = /"""|'''/.exec(startText)?.[0];
  if (triple && startText.split(triple).length % 2 === 0)
    return closingLine(lines, start, (line) => line.includes(triple));
  if (languageId === 'markdown' && isFence(startText)) return closingLine(lines, start, isFence);
  let open = scanBrackets(startText, style).open;
  let elements = Math.max(0, elementBalance(startText, languageId));
  // A line ending with `:` opens an indented block; so does a YAML / Markdown list item for its deeper lines.
  const colon =
    open.length === 0 &&
    elements === 0 &&
    (withoutComment(startText, style).trimEnd().endsWith(':') || /^\s*- /.test(startText));
  if (open.length === 0 && elements === 0 && !colon) return { end: start + 1, open: false };
  const continues = (index: number) =>
    index >= 0 && indentOf(lines[index]!) === startIndent && CONTINUATION.test(lines[index]!.trim());
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line.trim()) continue;
    if (colon) {
      if (indentOf(line) > startIndent || continues(index)) continue;
      return { end: index, open: false };
    }
    // A model that never closes the block goes on with the code after it: the block ends there.
    if (indentOf(line) <= startIndent && !closesBlock(line) && !continues(index) && !CASE.test(line.trim()))
      return { end: index, open: false };
    open = scanBrackets(line, style, open).open;
    elements = Math.max(0, elements + elementBalance(line, languageId));
    if (open.length === 0 && elements === 0) {
      const next = nextCode(lines, index + 1);
      if (next < 0) return { end: index + 1, open: true };
      if (!continues(next)) return { end: index + 1, open: false };
    }
  }
  return { end: lines.length, open: true, unfinished: !colon };
}

function closingLine(lines: readonly string[], start: number, closes: (line: string) => boolean): Reach {
  const closing = lines.findIndex((line, index) => index > start && closes(line));
  return closing < 0 ? { end: lines.length, open: true, unfinished: true } : { end: closing + 1, open: false };
}

function nextCode(lines: readonly string[], from: number): number {
  for (let index = from; index < lines.length; index++) if (lines[index]!.trim()) return index;
  return -1;
}
