import type { CompletionContext } from '../context';
import { commentStyle, scanBrackets, withoutComment, type CommentStyle } from './brackets';
import { indentUnitOf, type IndentUnit } from './indent';
import { elementBalance } from './markup';

/** What the document says around the cursor, read once per context (a stream asks on every piece of text). */
export interface Surroundings {
  style: CommentStyle;
  unit: IndentUnit | undefined;
  /** The last line before the cursor's that is not blank. */
  before: string | undefined;
  /** The first line of code after the cursor's line (comment lines skipped), undefined at the end of the document. */
  follow: string | undefined;
  /**
   * Whether something open at the cursor (a bracket, an element) is not closed by the code after it,
   * or nothing comes after it: the completion may then write the closers itself.
   */
  unclosed: boolean;
}

const known = new WeakMap<CompletionContext, Surroundings>();

export function surroundings(context: CompletionContext): Surroundings {
  let facts = known.get(context);
  if (!facts) {
    const style = commentStyle(context.languageId);
    const below = context.suffix.split('\n').slice(1);
    const follow = below.find((line) => withoutComment(line, style).trim());
    const before = context.prefix
      .split('\n')
      .slice(0, -1)
      .reverse()
      .find((line) => line.trim());
    const unclosed = follow === undefined || unclosedAt(context, style);
    facts = { style, unit: indentUnitOf(context), before, follow, unclosed };
    known.set(context, facts);
  }
  return facts;
}

function unclosedAt(context: CompletionContext, style: CommentStyle): boolean {
  const open = scanBrackets(context.prefix, style).open;
  const closedAfter = scanBrackets(context.suffix, style, open).closed.filter((closed) => closed.openedAt < 0).length;
  if (closedAfter < open.length) return true;
  let elements = 0;
  for (const line of context.prefix.split('\n'))
    elements = Math.max(0, elements + elementBalance(line, context.languageId));
  for (const line of context.suffix.split('\n')) {
    if (elements <= 0) break;
    elements += elementBalance(line, context.languageId);
  }
  return elements > 0;
}
