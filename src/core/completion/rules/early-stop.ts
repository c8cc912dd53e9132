import type { CompletionContext } from '../context';
import { multiLineAllowed } from './auto-closed';
import { fencedCode } from './fences';
import { normalizeIndentation } from './indentation';
import { repeatsItself, repetitionLineCount } from './repetition';
import { scopeEnd } from './scope';
import { leadingBlankLength } from './whitespace';

/** Longest completion shown, in lines (`jan.inlineCompletion.maxLines`). */
export const DEFAULT_MAX_LINES = 12;

/**
 * How many of the completion's lines (already through `normalizeIndentation`) are kept by the rules
 * that cut: repetition, scope and the line budget; `final`: more lines could not change that.
 * `atEnd`: the lines are the whole output.
 */
export function keptLines(
  lines: readonly string[],
  context: CompletionContext,
  atEnd = true,
  maxLines = DEFAULT_MAX_LINES,
): { count: number; final: boolean } {
  // The first line is compared as the document will have it, with what was typed before the cursor.
  const repetition = repetitionLineCount([context.linePrefix + (lines[0] ?? ''), ...lines.slice(1)], atEnd);
  const scope = scopeEnd(lines, context, maxLines);
  const count = Math.min(maxLines, repetition, scope.count);
  // The budget cuts for good only a statement already past it: a body's last statement that just fits may
  // still grow past it and be left out whole.
  const final =
    (count === repetition && repetition < lines.length) ||
    (count === scope.count && !scope.open) ||
    scope.count > maxLines;
  return { count, final };
}

/**
 * The stop strings a request can give the engine without changing the suggestion: a line break
 * when the rules keep one line whatever the model writes (code other than closers after the
 * cursor, something typed before it), none otherwise. Whether a suggestion spans lines is decided
 * by the rules as the text streams (`completionStop`), never by a blanket stop at the first line
 * break: after an auto-closed `(` or `{` the body on the next lines is the suggestion.
 */
export function requestStop(context: CompletionContext): string[] | undefined {
  return !multiLineAllowed(context) && context.linePrefix.trim() ? ['\n'] : undefined;
}

/**
 * For a streaming generation: the index in `generated` (the text so far) where the shown completion
 * will end whatever the model writes next, or undefined to keep generating. It applies the same
 * rules as `postprocessCompletion`, and only decides on what more output cannot change: complete
 * lines, and a cut that later lines could undo (the end of a block may be followed by `else`) only
 * once they are there. Generation can stop at the returned index; `postprocessCompletion` of the
 * text up to it gives the same suggestion.
 */
export function completionStop(
  generated: string,
  context: CompletionContext,
  maxLines = DEFAULT_MAX_LINES,
): number | undefined {
  const fence = fencedCode(generated, context);
  if (fence.pending) return undefined;
  const code = generated.slice(fence.start, fence.end);
  const skipped = leadingBlankLength(code, context);
  const stop = stopInText(code.slice(skipped), context, maxLines);
  if (stop !== undefined) return fence.start + skipped + stop;
  return fence.end;
}

function stopInText(generated: string, context: CompletionContext, maxLines: number): number | undefined {
  const raw = generated.split('\n');
  const complete = raw.slice(0, -1).map((line) => line.replace(/\r$/, ''));
  const offsetOf = (keep: number) => raw.slice(0, keep).join('\n').length;
  if (complete.length === 0) return repeatsItself(raw[0]!) ? 0 : undefined;
  const lines = normalizeIndentation(complete, context);
  const { count, final } = keptLines(lines, context, false, maxLines);
  if (final) return offsetOf(count);
  if (repeatsItself(raw.at(-1)!)) return offsetOf(Math.min(count, complete.length));
  return undefined;
}
