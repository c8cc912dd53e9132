import type { CompletionContext } from '../context';

/** Columns a tab counts for when tabs and spaces are compared. */
const TAB_WIDTH = 4;

export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** The width of a line's indentation in columns. */
export function indentOf(line: string): number {
  let width = 0;
  for (const char of leadingWhitespace(line)) width += char === '\t' ? TAB_WIDTH - (width % TAB_WIDTH) : 1;
  return width;
}

/** How the document indents one level: a tab, or a number of spaces; undefined when it shows no indentation. */
export type IndentUnit = { tabs: true; width: number } | { tabs: false; width: number };

/**
 * The document's indent unit, read from the lines around the cursor: tabs when most indented lines
 * start with one, otherwise the most frequent step between an indented line and the line before it.
 */
export function indentUnitOf(context: CompletionContext): IndentUnit | undefined {
  // The cursor's line counts with the indentation typed on it, even when nothing else is.
  const above = context.prefix.split('\n').slice(0, -1);
  const below = context.suffix.split('\n').slice(1);
  const lines = [...above, `${context.linePrefix}x`, ...below].filter((line) => line.trim());
  let tabbed = 0;
  let spaced = 0;
  const steps = new Map<number, number>();
  for (let index = 0; index < lines.length; index++) {
    const lead = leadingWhitespace(lines[index]!);
    if (lead.startsWith('\t')) tabbed++;
    else if (lead) spaced++;
    const step = indentOf(lines[index]!) - (index > 0 ? indentOf(lines[index - 1]!) : 0);
    if (step > 0 && step <= 8 && !lead.includes('\t')) steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  if (tabbed > spaced) return { tabs: true, width: TAB_WIDTH };
  const best = [...steps.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  return best ? { tabs: false, width: best[0] } : undefined;
}

/** Indentation `columns` wide, written the way the document writes it. */
export function indentText(columns: number, unit: IndentUnit | undefined): string {
  if (!unit?.tabs) return ' '.repeat(columns);
  return '\t'.repeat(Math.floor(columns / TAB_WIDTH)) + ' '.repeat(columns % TAB_WIDTH);
}
