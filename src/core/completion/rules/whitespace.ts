import type { CompletionContext } from '../context';
import { coveredClosers } from './auto-closed';

/**
 * Whitespace as it will sit in the document: no trailing whitespace or trailing blank lines, except
 * a trailing space before text that stays after the cursor on its line (`sum(║baz)` + `bar, `);
 * no second space after one the cursor already has.
 */
export function fixWhitespace(text: string, context: CompletionContext): string {
  const lines = text.split('\n').map((line, index, all) => (index < all.length - 1 ? line.trimEnd() : line));
  while (lines.length > 1 && !lines.at(-1)!.trim()) lines.pop();
  let result = lines.join('\n');
  if (context.linePrefix.trim() && /\s$/.test(context.linePrefix)) result = result.replace(/^[ \t]+/, '');
  const trimmed = result.replace(/[ \t]+$/, '');
  const rest = context.lineSuffix.slice(coveredClosers(trimmed, context));
  return rest && !/^\s/.test(rest) ? result : trimmed;
}
