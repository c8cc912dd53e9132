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
 * How many characters after the cursor the suggestion replaces. When only closing characters
 * follow the cursor (the editor auto-closed `(`, `"`, `{`), the ones the completion writes itself
 * are covered by the inline item's range, with the `;` / `,` after them when the completion writes
 * that too, so accepting `x");` in `console.log("║")` does not leave `")` behind.
 */
export function coveredClosers(text: string, context: CompletionContext): number {
  const suffix = context.lineSuffix;
  if (!suffix.trim() || !onlyClosers(suffix)) return 0;
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
  if (matched === 0) return 0;
  const punctuation = /^[;,]/.exec(suffix.slice(covered))?.[0];
  if (punctuation && closers[matched - 1]!.after.trimStart().startsWith(punctuation)) covered++;
  return covered;
}

/**
 * A multi-line completion of a line that still has its auto-closed characters after the cursor
 * (`{║}`), which the model left open, ends with those characters on a line of their own at the
 * line's indentation, so the body is not followed by `}` on its last line.
 */
export function closeLeftOpenBlock(text: string, context: CompletionContext): string {
  const suffix = context.lineSuffix.trim();
  if (!text.includes('\n') || !suffix || !onlyClosers(suffix) || coveredClosers(text, context) > 0) return text;
  const stillOpen = scanBrackets(context.linePrefix + text, commentStyle(context.languageId)).open.some(
    (open) => open.at >= 0 && open.at < context.linePrefix.length,
  );
  return stillOpen ? `${text.trimEnd()}\n${leadingWhitespace(context.linePrefix)}${suffix}` : text;
}
