import type { CompletionContext } from '../context';

/** The default `jan.inlineCompletion.minChars`: fewer characters of code at a line start are noise (`x`, `}`, `ab`). */
export const DEFAULT_MIN_CHARS = 3;

/** A suggestion too small to be worth showing: at a line start, fewer than `minChars` characters other than whitespace. Mid-line, a single `)` helps. */
export function isTooSmall(text: string, context: CompletionContext, minChars = DEFAULT_MIN_CHARS): boolean {
  return !context.linePrefix.trim() && text.replace(/\s/g, '').length < minChars;
}
