import type { CompletionContext } from '../context';
import { commentStyle, onlyClosers, scanBrackets, withoutComment, type CommentStyle } from './brackets';

/** A line as compared with the code after the cursor: without a line comment, trailing whitespace and the `;` / `,` either side may add. */
function comparable(line: string, style: CommentStyle): string {
  return withoutComment(line, style).replace(/[\s;,]+$/, '');
}

/** Whether the completion's line is the code's line, or only closes what the code's line closes first (`}` before `} else {`). */
function sameLine(written: string, existing: string): boolean {
  return written === existing || (/^\s*[)\]}]+$/.test(written) && existing.startsWith(written));
}

/**
 * Where the completion starts repeating the lines after the cursor (`}` / `});` the code already
 * has): its last lines of code are compared, line by line with their indentation, with the next
 * lines of code after the cursor; a line of closers also matches a line that starts with them.
 * Returns how many lines to keep. The cursor's own line only counts when nothing was typed on it.
 */
export function suffixDuplicateStart(lines: readonly string[], context: CompletionContext): number {
  const style = commentStyle(context.languageId);
  const following = context.suffix
    .split('\n')
    .slice(1)
    .filter((line) => line.trim());
  const code: number[] = [];
  for (let index = context.linePrefix.trim() ? 1 : 0; index < lines.length; index++)
    if (lines[index]!.trim()) code.push(index);
  const text = (index: number) => (index === 0 ? context.linePrefix + lines[0]! : lines[index]!);
  for (let size = Math.min(code.length, following.length); size > 0; size--) {
    const tail = code.slice(code.length - size);
    if (tail.every((index, offset) => sameLine(comparable(text(index), style), comparable(following[offset]!, style))))
      return tail[0]!;
  }
  return lines.length;
}

/**
 * Mid-line, the code after the cursor stays: the completion is cut where it writes that code again
 * in full, the end of the completion that repeats the start of that code is dropped (`start(║` + `options);` before `);`), and so is a closer that would close a bracket
 * opened before the cursor a second time (`foo(║, c)` + `a, b)` shows `a, b`).
 */
export function trimLineSuffixOverlap(text: string, context: CompletionContext): string {
  const suffix = context.lineSuffix.trimStart();
  if (text.includes('\n') || onlyClosers(suffix)) return text;
  // The whole rest of the line, written with more after it (`n; i++) {` before `; i++)`).
  const repeated = suffix.trimEnd().length >= 2 ? text.indexOf(suffix.trimEnd()) : -1;
  if (repeated >= 0) return text.slice(0, repeated);
  for (let size = Math.min(text.length, suffix.length); size > 0; size--) {
    const tail = text.slice(text.length - size);
    if (tail.trim() && suffix.startsWith(tail)) return text.slice(0, text.length - size);
  }
  const line = context.linePrefix + text;
  const closer = scanBrackets(line, commentStyle(context.languageId)).closed.find(
    (closed) => closed.at >= context.linePrefix.length && closed.openedAt < context.linePrefix.length,
  );
  return closer ? text.slice(0, closer.at - context.linePrefix.length) : text;
}

/**
 * On a line that has brackets open before the cursor, a closer in the completion's first line that
 * closes nothing is one too many (`min(║)` + `a, b), b);`): the completion ends before it.
 */
export function cutStrayCloser(text: string, context: CompletionContext): string {
  const style = commentStyle(context.languageId);
  if (!scanBrackets(context.linePrefix, style).open.length) return text;
  const end = text.indexOf('\n');
  const firstLine = end < 0 ? text : text.slice(0, end);
  const stray = scanBrackets(context.linePrefix + firstLine, style).stray.find((at) => at >= context.linePrefix.length);
  return stray === undefined ? text : text.slice(0, stray - context.linePrefix.length);
}
