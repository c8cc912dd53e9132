import type { ToolResult } from '../tools';

/** What is kept of a tool's output at most (head and tail), whatever the tool returned. */
export const MAX_KEPT_CHARS = 64_000;
/** Characters per token assumed when cutting to a token budget (code runs about 3). */
const CHARS_PER_TOKEN = 3;

/**
 * `text` cut to `maxChars`: the head and the tail (where errors and totals usually are), with a
 * line saying how much was left out between them.
 */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const omitted = (length: number) => `\n[… ${length} characters (${lineCount(text, length)} lines) left out …]\n`;
  const room = Math.max(0, maxChars - omitted(text.length).length);
  const head = Math.ceil(room * 0.75);
  const tail = room - head;
  const left = text.length - head - tail;
  return `${text.slice(0, head)}${omitted(left)}${tail > 0 ? text.slice(text.length - tail) : ''}`;
}

/** Newlines in the part left out (counted without copying it: the text may be 50 MB). */
function lineCount(text: string, omittedChars: number): number {
  const start = Math.floor((text.length - omittedChars) * 0.75);
  const end = start + omittedChars;
  let lines = 0;
  for (let at = text.indexOf('\n', start); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** A tool's output as text the model can read, capped before it is kept. */
export function keptText(result: Pick<ToolResult, 'content'> | undefined): string {
  const content: unknown = result?.content;
  const text =
    typeof content === 'string' ? content : content === undefined || content === null ? '' : safeJson(content);
  return capText(text, MAX_KEPT_CHARS);
}

/**
 * The result cut to `tokens` (the room the context has for it): about 3 characters a token,
 * then checked with the engine's tokenizer when there is one and cut again if still too long.
 */
export async function fitResult(
  text: string,
  tokens: number,
  countTokens?: (text: string) => Promise<number>,
): Promise<string> {
  let fitted = capText(text, Math.max(0, tokens * CHARS_PER_TOKEN));
  if (!countTokens) return fitted;
  const counted = await countTokens(fitted);
  if (counted > tokens) fitted = capText(fitted, Math.floor(((fitted.length * tokens) / counted) * 0.9));
  return fitted;
}

/** One line for the step view: the tool's own summary, else the result's first line. */
export function summaryOf(result: ToolResult | undefined, text: string): string {
  const own = typeof result?.summary === 'string' ? result.summary : '';
  const line = (own || text).split('\n').find((candidate) => candidate.trim()) ?? '';
  const clean = line.trim().replace(/\s+/g, ' ');
  return clean.length > 160 ? `${clean.slice(0, 157)}…` : clean;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
