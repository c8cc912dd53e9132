import type { CompletionContext } from '../context';
import { multiLineAllowed } from './auto-closed';
import { normalizeIndentation } from './indentation';
import { repeatsItself, repetitionLineCount } from './repetition';
import { scopeLineCount } from './scope';
import { leadingBlankLength } from './whitespace';

/** Longest completion shown, in lines. */
export const DEFAULT_MAX_LINES = 12;

/**
 * How many of the completion's lines (already through `normalizeIndentation`) are kept by the rules
 * that cut: repetition, scope and the line budget. `atEnd`: the lines are the whole output.
 */
export function keptLineCount(
  lines: readonly string[],
  context: CompletionContext,
  atEnd = true,
  maxLines = DEFAULT_MAX_LINES,
): number {
  return Math.min(maxLines, repetitionLineCount(lines, atEnd), scopeLineCount(lines, context));
}

/**
 * For a streaming generation: the index in `generated` (the text so far) where the shown completion
 * will end whatever the model writes next, or undefined to keep generating. It applies the same
 * rules as `postprocessCompletion`, and only decides on what more output cannot change: complete
 * lines, with a complete line of code after the cut when the cut depends on what follows (the end
 * of a block may be followed by `else`). Generation can stop at the returned index;
 * `postprocessCompletion` of the text up to it gives the same suggestion.
 */
export function completionStop(
  generated: string,
  context: CompletionContext,
  maxLines = DEFAULT_MAX_LINES,
): number | undefined {
  const skipped = leadingBlankLength(generated, context);
  const stop = stopInText(generated.slice(skipped), context, maxLines);
  return stop === undefined ? undefined : skipped + stop;
}

function stopInText(generated: string, context: CompletionContext, maxLines: number): number | undefined {
  const raw = generated.split('\n');
  const complete = raw.slice(0, -1).map((line) => line.replace(/\r$/, ''));
  const offsetOf = (keep: number) => raw.slice(0, keep).join('\n').length;
  if (complete.length === 0) return repeatsItself(raw[0]!) ? 0 : undefined;
  if (!multiLineAllowed(context)) return offsetOf(1);
  const lines = normalizeIndentation(complete, context);
  const keep = keptLineCount(lines, context, false, maxLines);
  if (keep < lines.length && (keep >= maxLines || lines.slice(keep).some((line) => line.trim()))) return offsetOf(keep);
  if (repeatsItself(raw.at(-1)!)) return offsetOf(Math.min(keep, complete.length));
  return undefined;
}
