/** Context the model sees besides the conversation: files, a selection, problems, a diff. */
import { fenceFor } from '../selection-block';
import { CONTEXT_ANNOTATION, type TextContentPart } from '../types';

export interface ContextItem {
  /** The id of the source it came from (`file`, `selection`, `acme.tickets`: context/sources.ts). */
  kind: string;
  /** What the chip shows and the model reads as the block's title (a path, "Selection in a.ts:3-9"). */
  label: string;
  text: string;
  /** Tokens of `text` for the model it was counted with (an estimate when none was loaded). */
  tokens: number;
  /** Why the text is shorter than the source (a cap, a binary file), said to the user and the model. */
  note?: string;
}

/** Tokens one `@` attachment may take: a whole small file, the start of a large one (with a note). */
export const ATTACHMENT_TOKEN_CAP = 8000;

/** Counts the tokens of a text for the model in use. */
export type TokenCounter = (text: string) => Promise<number>;

/** Without a loaded model: about four characters per token, rounded up (English and code average). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The item as the model reads it: a titled fenced block, with the note when it was cut. */
export function contextBlock(item: Pick<ContextItem, 'label' | 'text' | 'note'>): string {
  const fence = fenceFor(item.text);
  const note = item.note ? `\n(${item.note})` : '';
  return `${item.label}:\n${fence}\n${item.text.replace(/\r?\n$/, '')}\n${fence}${note}`;
}

/** The longest prefix of `text` (cut at a line end when it can) within `cap` tokens. */
export async function fitToTokens(
  text: string,
  cap: number,
  count: TokenCounter,
): Promise<{ text: string; tokens: number; cut: boolean }> {
  const tokens = await count(text);
  if (tokens <= cap) return { text, tokens, cut: false };
  // Shrink by the measured ratio, then by a tenth until it fits: two or three counts, never one per line.
  let length = Math.floor((text.length * cap) / tokens);
  for (;;) {
    let cut = text.slice(0, length);
    const lineEnd = cut.lastIndexOf('\n');
    if (lineEnd > length / 2) cut = cut.slice(0, lineEnd + 1);
    const counted = await count(cut);
    if (counted <= cap || length === 0) return { text: cut, tokens: counted, cut: true };
    length = Math.floor(length * 0.9);
  }
}

/** The item as a message part in Jan's format: the block the model reads, annotated so the view shows a chip. */
export function contextPart(item: ContextItem): TextContentPart {
  return {
    type: 'text',
    text: {
      value: contextBlock(item),
      annotations: [
        {
          type: CONTEXT_ANNOTATION,
          kind: item.kind,
          label: item.label,
          tokens: item.tokens,
          ...(item.note ? { note: item.note } : {}),
        },
      ],
    },
  };
}
