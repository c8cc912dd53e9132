import type { CompletionContext } from '../context';
import { withoutComment, type CommentStyle } from './brackets';
import { indentOf, indentText, leadingWhitespace, type IndentUnit } from './indent';
import {
  CASE,
  closesBlock,
  CONTINUATION,
  CONTINUED_AFTER,
  CONTINUED_BY,
  endsWithOpener,
  opensBlock,
} from './line-kinds';
import { elementBalance } from './markup';
import { surroundings } from './surroundings';

/**
 * Indentation as the document writes it. The first line loses indentation the cursor already has
 * (models often repeat it); at column 0 inside a block whose code goes on below, it takes that code's
 * level. A model that wrote its lines as if the cursor's line started at column 0 has them moved
 * under the cursor (`writtenFromColumnZero`). A line one level deeper than the line before it, after
 * a line that opens a block, is one indent unit deeper; a line going back out takes the level it
 * returns to; tabs or spaces follow the document. A line deeper than one that opens nothing by less
 * than a unit is at that line's level (a stray column); continuation lines (aligned arguments, after
 * an operator) keep their offset. The number of lines never changes.
 */
export function normalizeIndentation(lines: readonly string[], context: CompletionContext): string[] {
  const { style, unit, follow, before } = surroundings(context);
  const out = [...lines];
  const typed = context.linePrefix;
  const have = indentOf(typed);
  let firstRaw = have;
  let firstNorm = have;
  if (!typed.trim()) {
    const lead = indentOf(leadingWhitespace(lines[0] ?? ''));
    const keep = Math.min(lead, Math.max(0, expectedIndent(have, before, unit, style) - have));
    // A model that repeats the typed indentation wrote its lines as if from column 0.
    firstRaw = keep < lead ? lead : have + lead;
    firstNorm = have + keep;
    if (have === 0) firstNorm = Math.max(firstNorm, blockLevelAtColumnZero(lines[0]!, before, follow, unit, style));
    if (lines[0]!.trim() && firstNorm !== have + lead)
      out[0] = indentText(firstNorm - have, unit) + lines[0]!.trimStart();
  }
  if (!unit) return out;
  const shift = writtenFromColumnZero(lines, context, firstRaw) ? have : 0;
  const levels = [{ raw: firstRaw, norm: firstNorm }];
  let previous = { raw: firstRaw, norm: firstNorm, text: typed + out[0]! };
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line.trim()) continue;
    const raw = indentOf(line) + shift;
    let norm: number;
    if (raw > previous.raw) {
      const step = raw - previous.raw;
      if (endsWithOpener(previous.text, style)) norm = previous.norm + unit.width;
      else if (step < unit.width && !continues(previous.text, line, context.languageId, style)) norm = previous.norm;
      else norm = previous.norm + step;
      levels.push({ raw, norm });
    } else if (raw === previous.raw) {
      // A closer written at the column of the statement before it (not of an empty block) closes the level it is in.
      const closes = closesBlock(line) && !endsWithOpener(previous.text, style);
      norm = closes ? Math.max(0, previous.norm - unit.width) : previous.norm;
    } else {
      while (levels.length && levels.at(-1)!.raw > raw) levels.pop();
      norm = levels.at(-1)?.norm ?? raw;
      if (!levels.length) levels.push({ raw, norm });
    }
    out[index] = indentText(norm, unit) + line.trimStart();
    previous = { raw, norm, text: out[index]! };
  }
  return out;
}

/** Statements that only stand inside a body (a function's, a loop's): never at the top level of a file. */
const BODY_ONLY = /^(?:return|yield|break|continue)\b/;

/**
 * The level a completion at column 0 of an empty line belongs at when the document says it is inside
 * a block: that of the block's code going on below the cursor, or, for a statement that only stands
 * in a body (`return y` after a function's last line), that of the line before. 0 otherwise: at
 * column 0 nothing is typed and the model's own indentation is all there is.
 */
function blockLevelAtColumnZero(
  first: string,
  before: string | undefined,
  follow: string | undefined,
  unit: IndentUnit | undefined,
  style: CommentStyle,
): number {
  const below =
    follow !== undefined && !closesBlock(follow) && !CONTINUATION.test(follow.trim()) ? indentOf(follow) : 0;
  if (!BODY_ONLY.test(first.trim()) || before === undefined || !indentOf(before)) return below;
  return Math.max(below, indentOf(before) + (opensBlock(before, style) ? (unit?.width ?? 4) : 0));
}

/** Whether `line`, deeper than `previous`, goes on with it: an open bracket or element, an operator, a list item's keys, `.then(…)`. */
function continues(previous: string, line: string, languageId: string, style: CommentStyle): boolean {
  return (
    opensBlock(previous, style) ||
    elementBalance(previous, languageId) > 0 ||
    CONTINUED_AFTER.test(withoutComment(previous, style).trimEnd()) ||
    /^\s*[-*] /.test(previous) ||
    CONTINUED_BY.test(line.trim())
  );
}

/**
 * Whether the model wrote the lines after its first as if the cursor's line started at column 0
 * (chat models, and models that do not see the indentation): read from its second line of code,
 * which is deeper than the first only that way after a line that opens a block, or at the first
 * line's level only that way after one that does not. Decided on that one line, so later lines never
 * change how earlier ones are indented (stopping a stream early shows the same suggestion).
 */
function writtenFromColumnZero(lines: readonly string[], context: CompletionContext, firstRaw: number): boolean {
  const have = indentOf(context.linePrefix);
  if (have === 0 || (!context.linePrefix.trim() && leadingWhitespace(lines[0] ?? ''))) return false;
  const second = lines.findIndex((line, index) => index > 0 && line.trim());
  if (second < 0) return false;
  const { style, follow } = surroundings(context);
  const first = context.linePrefix + lines[0]!;
  const line = lines[second]!;
  // A closer, an `else` or a `case` may sit at the level of the line before it in either frame.
  if (closesBlock(line) || CONTINUATION.test(line.trim()) || CASE.test(line.trim())) return false;
  const absolute = indentOf(line);
  const relative = absolute + have;
  if (endsWithOpener(first, style) || elementBalance(first, context.languageId) > 0)
    return absolute <= firstRaw && relative > firstRaw;
  // Back out to a shallower level is a dedent the model meant, unless code of the cursor's block follows.
  return absolute < firstRaw && relative === firstRaw && follow !== undefined && indentOf(follow) > absolute;
}

/**
 * The indentation the cursor's line should have. At column 0 nothing is typed and the model's
 * indentation is all there is. Otherwise the editor or the user indented the line: that is the
 * level, unless the line before opens a block and the cursor is not deeper than it.
 */
function expectedIndent(
  have: number,
  previous: string | undefined,
  unit: IndentUnit | undefined,
  style: CommentStyle,
): number {
  if (have === 0) return Number.POSITIVE_INFINITY;
  if (previous === undefined || !opensBlock(previous, style) || have > indentOf(previous)) return have;
  return indentOf(previous) + (unit?.width ?? 4);
}
