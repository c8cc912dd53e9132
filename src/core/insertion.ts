/** Code written at a cursor (inline chat with nothing selected): where it goes and what the model sees. */
import { fencedSelection } from './selection-block';

export const INSERT_SYSTEM_PROMPT =
  'You write code into a file. Reply with only the new code for the marked place, in a single fenced code block, and nothing else: no explanation, and none of the code around it.';

/** Marks, in the excerpt the model sees, the line the new code takes. */
export const INSERT_MARKER = '<<INSERT HERE>>';

/** An insertion may write this many tokens: a function or two, not a file. */
export const INSERT_TOKEN_LIMIT = 1024;

/** Characters of the file the model sees before and after the cursor (whole lines, nearest first). */
const CONTEXT_BEFORE_CHARS = 3000;
const CONTEXT_AFTER_CHARS = 1000;

export interface InsertionInput {
  /** The document's lines. */
  lines: string[];
  /** 0-based line of the cursor. */
  line: number;
  languageId: string;
  /** Workspace-relative path of the file, shown to the model. */
  fileName: string;
  instruction: string;
}

export interface InsertionPlace {
  line: number;
  /** The cursor's line is blank, and the code replaces it; otherwise it goes on new lines below it. */
  onLine: boolean;
  /** Given to code the model wrote without any indentation. */
  indent: string;
}

/** On a blank line the code takes that line, at its indentation; on a line of code, the lines below it. */
export function insertionPlace(lines: string[], line: number): InsertionPlace {
  const text = lines[line] ?? '';
  const onLine = text.trim() === '';
  return { line, onLine, indent: onLine ? text : /^[ \t]*/.exec(text)![0] };
}

/**
 * The new text for the place: the code re-indented when the model gave it no indentation and the
 * place has some, after a line break when it goes below the cursor's line.
 */
export function fitInsertion(code: string, place: InsertionPlace): string {
  const trimmed = code.replace(/\n+$/, '');
  const first = trimmed.split('\n').find((line) => line.trim() !== '') ?? '';
  const body =
    place.indent && !/^[ \t]/.test(first)
      ? trimmed
          .split('\n')
          .map((line) => (line.trim() ? place.indent + line : line))
          .join('\n')
      : trimmed;
  return place.onLine ? body : `\n${body}`;
}

/** The lines around the place, the marker in its own line, as many as fit the character budgets. */
function excerpt(lines: string[], place: InsertionPlace): { code: string; startLine: number; endLine: number } {
  const lastBefore = place.onLine ? place.line - 1 : place.line;
  let first = lastBefore + 1;
  for (let used = 0; first > 0 && used + lines[first - 1]!.length + 1 <= CONTEXT_BEFORE_CHARS; first--) {
    used += lines[first - 1]!.length + 1;
  }
  let end = place.line + 1;
  for (let used = 0; end < lines.length && used + lines[end]!.length + 1 <= CONTEXT_AFTER_CHARS; end++) {
    used += lines[end]!.length + 1;
  }
  const code = [
    ...lines.slice(first, lastBefore + 1),
    place.indent + INSERT_MARKER,
    ...lines.slice(place.line + 1, end),
  ];
  return { code: code.join('\n'), startLine: first + 1, endLine: Math.max(end, first + 1) };
}

/**
 * The user message: what to do, the excerpt as a fenced block naming its file and lines, then the
 * instruction, last so that a second try with other words finds the rest in the KV cache.
 */
export function insertionPrompt(input: InsertionInput, place: InsertionPlace): { prompt: string; excerpt: string } {
  const shown = excerpt(input.lines, place);
  const block = fencedSelection({ ...shown, languageId: input.languageId, path: input.fileName }).trimEnd();
  const ask = `Write the code that goes where ${INSERT_MARKER} is in this part of ${input.fileName}. Reply with only the new code.`;
  return { prompt: `${ask}\n\n${block}\n\n${input.instruction.trim()}`, excerpt: shown.code };
}
