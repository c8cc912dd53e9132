import type { CompletionContext } from '../context';
import { coveredClosers } from './auto-closed';

/**
 * Whitespace as it will sit in the document: no trailing whitespace or trailing blank lines, except
 * before text that stays after the cursor on its line: a trailing space (`sum(║baz)` + `bar, `) or
 * the line break and indentation that put an auto-closed `}` on its own line; no second space
 * after one the cursor already has.
 */
export function fixWhitespace(text: string, context: CompletionContext): string {
  let result = text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
  if (context.linePrefix.trim() && /\s$/.test(context.linePrefix)) result = result.replace(/^[ \t]+/, '');
  const rest = context.lineSuffix.slice(coveredClosers(result, context));
  if (!rest || /^\s/.test(rest)) return result;
  const trailing = /\n?[ \t]*$/.exec(text)![0];
  return result + (trailing.includes('\n') && result.includes('\n') ? trailing : trailing.replace('\n', ''));
}

/**
 * How many characters of blank lines the completion starts with are dropped: on a line where
 * nothing but indentation is typed, the suggestion starts on that line, not below a blank one.
 */
export function leadingBlankLength(text: string, context: CompletionContext): number {
  if (context.linePrefix.trim()) return 0;
  return /^(?:[ \t]*\r?\n)*/.exec(text)![0].length;
}
