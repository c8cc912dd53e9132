import type { CompletionContext } from '../context';
import { commentStyle, scanBrackets, withoutComment, type CommentStyle } from './brackets';
import { indentOf, indentText, indentUnitOf, leadingWhitespace, type IndentUnit } from './indent';

/** Whether a line ends by opening a block: `{`, `[`, `(`, `:` or `=>`. */
function endsWithOpener(line: string, style: CommentStyle): boolean {
  return /([{[(:]|=>)$/.test(withoutComment(line, style).trimEnd());
}

/** Whether a line opens a block: it ends with an opener or leaves a bracket open (`foo(a,`). */
export function opensBlock(line: string, style: CommentStyle): boolean {
  return endsWithOpener(line, style) || scanBrackets(withoutComment(line, style), style).open.length > 0;
}

/**
 * Indentation as the document writes it. The first line loses indentation the cursor already has
 * (models often repeat it); a line one level deeper than the line before it, after a line that
 * opens a block, is one indent unit deeper; a line going back out takes the level it returns to;
 * tabs or spaces follow the document. Continuation lines (deeper after a line that does not end
 * with an opener, such as aligned arguments) keep their offset. The number of lines never changes.
 */
export function normalizeIndentation(lines: readonly string[], context: CompletionContext): string[] {
  const style = commentStyle(context.languageId);
  const unit = indentUnitOf(context);
  const out = [...lines];
  const typed = context.linePrefix;
  const have = indentOf(typed);
  let firstRaw = have;
  let firstNorm = have;
  if (!typed.trim()) {
    const lead = leadingWhitespace(lines[0] ?? '');
    const keep = Math.min(indentOf(lead), Math.max(0, expectedIndent(context, unit, style) - have));
    // A model that repeats the typed indentation wrote its lines as if from column 0.
    firstRaw = keep < indentOf(lead) ? indentOf(lead) : have + indentOf(lead);
    firstNorm = have + keep;
    if (lines[0]!.trim() && keep < indentOf(lead))
      out[0] = (keep ? indentText(keep, unit) : '') + lines[0]!.trimStart();
  }
  if (!unit) return out;
  const levels = [{ raw: firstRaw, norm: firstNorm }];
  let previous = { raw: firstRaw, norm: firstNorm, text: typed + out[0]! };
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line.trim()) continue;
    const raw = indentOf(line);
    let norm: number;
    if (raw > previous.raw) {
      norm = previous.norm + (endsWithOpener(previous.text, style) ? unit.width : raw - previous.raw);
      levels.push({ raw, norm });
    } else if (raw === previous.raw) norm = previous.norm;
    else {
      while (levels.length && levels.at(-1)!.raw > raw) levels.pop();
      norm = levels.at(-1)?.norm ?? raw;
      if (!levels.length) levels.push({ raw, norm });
    }
    out[index] = indentText(norm, unit) + line.trimStart();
    previous = { raw, norm, text: out[index]! };
  }
  return out;
}

/**
 * The indentation the cursor's line should have. At column 0 nothing is typed and the model's
 * indentation is all there is. Otherwise the editor or the user indented the line: that is the
 * level, unless the line before opens a block and the cursor is not deeper than it.
 */
function expectedIndent(context: CompletionContext, unit: IndentUnit | undefined, style: CommentStyle): number {
  const have = indentOf(context.linePrefix);
  if (have === 0) return Number.POSITIVE_INFINITY;
  const previous = context.prefix
    .split('\n')
    .slice(0, -1)
    .reverse()
    .find((line) => line.trim());
  if (previous === undefined || !opensBlock(previous, style) || have > indentOf(previous)) return have;
  return indentOf(previous) + (unit?.width ?? 4);
}
