/**
 * An edit of code by the chat model, shared by the commands on a selection and inline chat: what
 * the model is asked, how many tokens it may write, and how the code it writes becomes the new
 * text of the range, also while it is still writing.
 */
import type { CodeOpening } from './code-answer';
import { fitInsertion, INSERT_SYSTEM_PROMPT, INSERT_TOKEN_LIMIT, insertionPlace, insertionPrompt } from './insertion';
import type { InsertionInput, InsertionPlace } from './insertion';
import {
  EDIT_SYSTEM_PROMPT,
  fitReplacement,
  rewriteTokenLimit,
  SELECTION_ACTIONS,
  selectionPrompt,
} from './selection-actions';
import type { SelectionAction, SelectionInput } from './selection-actions';
import { fenceFor, fenceLanguage } from './selection-block';
import type { ChatMessage } from './types';

export interface CodeEdit {
  /** Where it runs, for the log: "Fix on src/a.ts:3-9". */
  what: string;
  /** The system and user messages; the run adds the opening of the code block. */
  messages: ChatMessage[];
  opening: CodeOpening;
  maxTokens: number;
  /** The text of the range the edit replaces (a blank line's indentation, or nothing, when it inserts). */
  original: string;
  /** The range's new text for the code written so far; `partial`: the model has not finished it. */
  replacement(code: string, partial: boolean): string;
}

/** Lines shorter than this (trimmed) say too little to find a rewrite's place in the original: `}`, `end`, `else`. */
const TELLING_LINE = 4;

/**
 * A rewrite the model has not finished: the lines written so far, then the original's lines after
 * the last one they reproduce. While it streams, the diff shows what changed so far rather than
 * the whole rest as deleted; a rewrite stopped early keeps the code it did not reach.
 */
export function withOriginalRest(original: string, written: string): string {
  if (!written) return original;
  const lines = original.split('\n');
  let next = 0;
  for (const line of written.split('\n')) {
    const key = line.trim();
    if (key.length < TELLING_LINE) continue;
    const found = lines.findIndex((candidate, index) => index >= next && candidate.trim() === key);
    if (found >= 0) next = found + 1;
  }
  const rest = lines.slice(next).join('\n');
  return written.endsWith('\n') || !rest ? written + rest : `${written}\n${rest}`;
}

function opening(code: string, languageId: string): CodeOpening {
  return { fence: fenceFor(code), language: fenceLanguage(languageId) };
}

/** A command on a selection (Fix, Document, Refactor, Custom Prompt, inline chat on a selection). */
export function rewriteEdit(
  action: SelectionAction,
  input: SelectionInput,
  options: { override?: string; title?: string } = {},
): CodeEdit {
  const title = options.title ?? SELECTION_ACTIONS[action].title;
  return {
    what: `${title} on ${input.fileName}:${input.startLine}-${input.endLine}`,
    messages: [
      { role: 'system', content: EDIT_SYSTEM_PROMPT },
      { role: 'user', content: selectionPrompt(action, input, options.override) },
    ],
    opening: opening(input.code, input.languageId),
    maxTokens: rewriteTokenLimit(input.code),
    original: input.code,
    replacement: (code, partial) => fitReplacement(input.code, partial ? withOriginalRest(input.code, code) : code),
  };
}

/** Inline chat at a cursor: new code at the place `insertionPlace` chooses. */
export function insertionEdit(input: InsertionInput): { edit: CodeEdit; place: InsertionPlace } {
  const place = insertionPlace(input.lines, input.line);
  const { prompt, excerpt } = insertionPrompt(input, place);
  const edit: CodeEdit = {
    what: `Inline chat at ${input.fileName}:${input.line + 1}`,
    messages: [
      { role: 'system', content: INSERT_SYSTEM_PROMPT },
      { role: 'user', content: prompt },
    ],
    opening: opening(excerpt, input.languageId),
    maxTokens: INSERT_TOKEN_LIMIT,
    original: place.onLine ? (input.lines[input.line] ?? '') : '',
    replacement: (code) => fitInsertion(code, place),
  };
  return { edit, place };
}
