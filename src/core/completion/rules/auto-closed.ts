import type { CompletionContext } from '../context';
import { commentStyle, onlyClosers, scanBrackets } from './brackets';
import { leadingWhitespace } from './indent';

/** The closers the completion writes for brackets and strings opened on the cursor's line before the cursor, in order. */
function closersOfTypedLine(text: string, context: CompletionContext) {
  const line = context.linePrefix + text;
  return scanBrackets(line, commentStyle(context.languageId))
    .closed.filter((closed) => closed.at >= context.linePrefix.length && closed.openedAt < context.linePrefix.length)
    .map((closed) => ({ char: line[closed.at]!, after: line.slice(closed.at + 1) }));
}

/**
 * Whether the completion may run over several lines although the cursor's line goes on: only
 * closing characters follow the cursor (`foo(║)`, `{║};`), or the cursor sits right before the
 * `}` of a brace opened on its line (`setTimeout(() => {║}, 100);`), not in a condition
 * (`for (x : ║) {`).
 */
export function multiLineAllowed(context: CompletionContext): boolean {
  if (onlyClosers(context.lineSuffix)) return true;
  const innermost = scanBrackets(context.linePrefix, commentStyle(context.languageId)).open.at(-1);
  return innermost?.char === '{' && context.lineSuffix.trimStart().startsWith('}');
}

/**
 * How many characters after the cursor the suggestion replaces. When closing characters follow
 * the cursor (the editor auto-closed `(`, `"`, `{`), the ones the completion writes itself are
 * covered by the inline item's range, with the `;` / `,` after them when the completion writes
 * that too, or with the whole rest of the line when the completion writes all of it: accepting
 * `x");` in `console.log("║")` does not leave `")` behind, nor `f();` in `const x = ║;` a second `;`.
 */
export function coveredClosers(text: string, context: CompletionContext): number {
  const suffix = context.lineSuffix;
  if (!suffix.trim() || !multiLineAllowed(context)) return 0;
  // A triple quote (Python docstrings, Markdown fences) the completion closes is one closer, not three strings.
  const triple = /^("""|'''|```)/.exec(suffix)?.[0];
  if (triple && text.includes(triple)) return triple.length;
  const closers = closersOfTypedLine(text, context);
  let covered = 0;
  let matched = 0;
  for (let index = 0; index < suffix.length && matched < closers.length; index++) {
    const char = suffix[index]!;
    if (/\s/.test(char)) continue;
    if (char !== closers[matched]!.char) break;
    matched++;
    covered = index + 1;
  }
  // A `;` or `,` the line has after the cursor that the completion ends with itself (`const x = ║;` + `f();`).
  if (matched === 0) return /^\s*[;,]\s*$/.test(suffix) && text.trimEnd().endsWith(suffix.trim()) ? suffix.length : 0;
  const rest = suffix.slice(covered);
  const written = closers[matched - 1]!.after;
  if (rest.trim() && written.trim().startsWith(rest.trim())) return suffix.length;
  const punctuation = /^[;,]/.exec(rest)?.[0];
  if (punctuation && !rest.slice(1).trim() && written.trimStart().startsWith(punctuation)) covered++;
  return covered;
}

/**
 * A multi-line completion of a line that still has its auto-closed characters after the cursor
 * (`{║}`), which the model left open, ends with a line break at the line's indentation, so those
 * characters land on a line of their own after the body instead of at the end of its last line.
 * The completion does not write them: the code after the cursor already has them.
 */
export function closeLeftOpenBlock(text: string, context: CompletionContext): string {
  if (
    !text.includes('\n') ||
    !context.lineSuffix.trim() ||
    !multiLineAllowed(context) ||
    coveredClosers(text, context) > 0
  )
    return text;
  const stillOpen = scanBrackets(context.linePrefix + text, commentStyle(context.languageId)).open.some(
    (open) => open.at >= 0 && open.at < context.linePrefix.length,
  );
  return stillOpen ? `${text.trimEnd()}\n${leadingWhitespace(context.linePrefix)}` : text;
}
