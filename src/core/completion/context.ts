/** What an inline completion is asked for: the text around the cursor, bounded. */
export interface CompletionContext {
  prefix: string;
  suffix: string;
  /** Text of the cursor's line before / after the cursor. */
  linePrefix: string;
  lineSuffix: string;
  /** Language id of the document, for language-aware trimming. */
  languageId: string;
}

export interface ContextLimits {
  /** Lines of prefix kept above the cursor line. */
  prefixLines: number;
  /** Lines of suffix kept below the cursor line. */
  suffixLines: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = { prefixLines: 80, suffixLines: 24 };

/**
 * Cuts the document at the cursor into a prefix and suffix of whole lines. The prefix starts at a
 * line boundary that only moves when the cursor changes line, so while the user edits one line
 * the prompt's start stays the same and the engine reuses its KV cache (llama.vscode's trick).
 */
export function buildCompletionContext(
  lines: readonly string[],
  line: number,
  character: number,
  languageId: string,
  limits: ContextLimits = DEFAULT_CONTEXT_LIMITS,
): CompletionContext {
  const current = lines[line] ?? '';
  const linePrefix = current.slice(0, character);
  const lineSuffix = current.slice(character);
  const first = Math.max(0, line - limits.prefixLines);
  const last = Math.min(lines.length - 1, line + limits.suffixLines);
  const above = lines.slice(first, line);
  const below = lines.slice(line + 1, last + 1);
  const prefix = (above.length ? `${above.join('\n')}\n` : '') + linePrefix;
  const suffix = lineSuffix + (below.length ? `\n${below.join('\n')}` : '');
  return { prefix, suffix, linePrefix, lineSuffix, languageId };
}

/**
 * The context of a prompt that only has its prefix and suffix (an engine's fill-in-the-middle
 * request, for `completionStop` while it streams): the cursor's line is read from their ends.
 */
export function contextOfPrompt(prefix: string, suffix: string, languageId = 'plaintext'): CompletionContext {
  const lineStart = prefix.lastIndexOf('\n') + 1;
  const lineEnd = suffix.indexOf('\n');
  return {
    prefix,
    suffix,
    linePrefix: prefix.slice(lineStart),
    lineSuffix: lineEnd < 0 ? suffix : suffix.slice(0, lineEnd),
    languageId,
  };
}
