import type { CompletionContext } from './context';

/**
 * Pure clean-up of a raw FIM completion before it is shown as ghost text (Tabby's approach:
 * small steps, each golden-tested). Returns undefined when nothing worth showing is left.
 */
export function postprocessCompletion(raw: string, context: CompletionContext, maxLines = 12): string | undefined {
  let text = raw.replace(/\r\n/g, '\n');
  text = stopAtRepetition(text);
  text = limitToScope(text, context, maxLines);
  text = trimSuffixOverlap(text, context);
  text = text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
  return text.trim() ? text : undefined;
}

/** Mid-line (code after the cursor), only the rest of the line makes sense. */
function limitToScope(text: string, context: CompletionContext, maxLines: number): string {
  const lines = text.split('\n');
  if (context.lineSuffix.trim()) return lines[0]!;
  const baseIndent = indentOf(context.linePrefix.trim() ? context.linePrefix : context.linePrefix + (lines[0] ?? ''));
  const kept: string[] = [lines[0]!];
  for (let index = 1; index < lines.length && kept.length < maxLines; index++) {
    const line = lines[index]!;
    // A line indented less than where the completion started closes the block the cursor is in:
    // the rest belongs to code the user has not asked for.
    if (line.trim() && indentOf(line) < baseIndent) break;
    kept.push(line);
  }
  return kept.join('\n');
}

/** Drops the end of the completion that repeats the text already after the cursor. */
function trimSuffixOverlap(text: string, context: CompletionContext): string {
  const next = context.suffix.replace(/^\s+/, '');
  if (!next) return text;
  const max = Math.min(text.length, next.length);
  for (let size = max; size > 0; size--) {
    const tail = text.slice(text.length - size);
    if (tail.trim() && next.startsWith(tail)) return text.slice(0, text.length - size);
  }
  return text;
}

/** Small models loop; cut at the third identical non-empty line in a row. */
function stopAtRepetition(text: string): string {
  const lines = text.split('\n');
  for (let index = 2; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() && line === lines[index - 1] && line === lines[index - 2]) return lines.slice(0, index - 1).join('\n');
  }
  return text;
}

function indentOf(line: string): number {
  const match = /^[ \t]*/.exec(line)![0];
  return match.replace(/\t/g, '    ').length;
}
