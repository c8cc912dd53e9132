import type { Token } from 'node-llama-cpp';

/**
 * Share of the prompt budget for the text after the cursor. The model's fill-in-the-middle order
 * (prefix, suffix, middle) puts the suffix after the cursor's edits, so every keystroke evaluates
 * it again: kept small, a repeat after a small edit reuses the KV cache for nine tenths of the prompt.
 */
export const SUFFIX_SHARE = 0.1;
/** Share of the budget for context from other files, placed before the prefix. */
export const EXTRA_SHARE = 0.3;
/**
 * The prefix starts at a line whose index (counted from the start of the text the host sent, which
 * starts at a line the host moves only in steps of this size too) is a multiple of this: while the
 * user edits, the start stays put and the prompt's beginning stays in the KV cache.
 */
export const PREFIX_CUT_LINES = 16;

export interface PromptInput {
  prefix: string;
  suffix: string;
  /** Context from other files, placed before the prefix. */
  extra?: string;
}

export interface BudgetedPrompt {
  /** The extra context's tokens followed by the prefix's. */
  prefix: Token[];
  suffix: Token[];
  /** Lines of the sent prefix left out at its start. */
  droppedPrefixLines: number;
}

/** Fits a fill-in-the-middle prompt in `budget` tokens: suffix first (small), then extra context, then as much prefix as fits. */
export function budgetPrompt(tokenize: (text: string) => Token[], input: PromptInput, budget: number): BudgetedPrompt {
  const suffix = headLines(tokenize, input.suffix, Math.floor(budget * SUFFIX_SHARE));
  const extra = input.extra ? tailLines(tokenize, input.extra, Math.floor(budget * EXTRA_SHARE)) : [];
  const prefixBudget = Math.max(1, budget - suffix.length - extra.length);
  const { tokens, dropped } = stablePrefix(tokenize, input.prefix, prefixBudget);
  return { prefix: [...extra, ...tokens], suffix, droppedPrefixLines: dropped };
}

/** The first whole lines of `text` that fit, or the start of its first line. */
function headLines(tokenize: (text: string) => Token[], text: string, budget: number): Token[] {
  const all = tokenize(text);
  if (all.length <= budget) return all;
  const lines = text.split('\n');
  let kept = lines.length;
  while (kept > 1 && tokenize(lines.slice(0, kept).join('\n')).length > budget)
    kept = Math.max(1, Math.floor(kept / 2));
  return tokenize(lines.slice(0, kept).join('\n')).slice(0, budget);
}

/** The last whole lines of `text` that fit. */
function tailLines(tokenize: (text: string) => Token[], text: string, budget: number): Token[] {
  const all = tokenize(text);
  if (all.length <= budget) return all;
  const lines = text.split('\n');
  for (let start = 1; start < lines.length; start++) {
    const tokens = tokenize(lines.slice(start).join('\n'));
    if (tokens.length <= budget) return tokens;
  }
  return [];
}

/** The prefix from the first cut line (a multiple of PREFIX_CUT_LINES) from which it fits; the end of its last line when none does. */
function stablePrefix(
  tokenize: (text: string) => Token[],
  text: string,
  budget: number,
): { tokens: Token[]; dropped: number } {
  const lines = text.split('\n');
  const perLine = lines.map((line) => tokenize(`${line}\n`).length);
  const from: number[] = [...perLine, 0];
  for (let index = lines.length - 1; index >= 0; index--) from[index] = perLine[index]! + from[index + 1]!;
  const lastCut = Math.floor((lines.length - 1) / PREFIX_CUT_LINES) * PREFIX_CUT_LINES;
  // The cut lines first; then, for a text whose last lines alone are too long, any line after the last cut.
  const starts = [...Array.from({ length: lastCut / PREFIX_CUT_LINES + 1 }, (_, index) => index * PREFIX_CUT_LINES)];
  for (let start = lastCut + 1; start < lines.length; start++) starts.push(start);
  for (const start of starts) {
    // Per-line counts are close to the joined text's; the joined text's own count decides.
    if (from[start]! > budget * 1.1) continue;
    const tokens = tokenize(lines.slice(start).join('\n'));
    if (tokens.length <= budget) return { tokens, dropped: start };
  }
  const last = lines.length - 1;
  return { tokens: tokenize(lines[last]!).slice(-budget), dropped: last };
}
