import type { CompletionContext } from './context';
import {
  closeLeftOpenBlock,
  cutStrayCloser,
  DEFAULT_MAX_LINES,
  DEFAULT_MIN_CHARS,
  fencedCode,
  fixWhitespace,
  isTooSmall,
  keptLines,
  leadingBlankLength,
  normalizeIndentation,
  suffixDuplicateStart,
  trimLineSuffixOverlap,
} from './rules';

export interface PostprocessOptions {
  /** Longest suggestion, in lines (`jan.inlineCompletion.maxLines`). */
  maxLines: number;
  /** Smallest suggestion at a line start, in characters other than whitespace (`jan.inlineCompletion.minChars`). */
  minChars: number;
}

/**
 * Pure clean-up of a raw FIM completion before it is shown as ghost text (Tabby's approach: small
 * rules in `rules/`, each golden-tested in test/fixtures/completion/<rule>.golden.json). Returns
 * undefined when nothing worth showing is left. The inline item's range comes from
 * `coveredClosers(text, context)`.
 */
export function postprocessCompletion(
  raw: string,
  context: CompletionContext,
  options: Partial<PostprocessOptions> = {},
): string | undefined {
  const { maxLines = DEFAULT_MAX_LINES, minChars = DEFAULT_MIN_CHARS } = options;
  const fence = fencedCode(raw, context);
  const code = raw.slice(fence.start, fence.end);
  let lines = normalizeIndentation(
    code.slice(leadingBlankLength(code, context)).replace(/\r\n?/g, '\n').split('\n'),
    context,
  );
  lines = lines.slice(0, keptLines(lines, context, true, maxLines).count);
  lines = lines.slice(0, suffixDuplicateStart(lines, context));
  let text = cutStrayCloser(trimLineSuffixOverlap(lines.join('\n'), context), context);
  text = fixWhitespace(closeLeftOpenBlock(text, context), context);
  return text.trim() && !isTooSmall(text, context, minChars) ? text : undefined;
}
