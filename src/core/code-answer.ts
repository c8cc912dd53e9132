/**
 * Reading the code out of a model's answer to an edit request, while it streams and at its end.
 *
 * An edit request ends with the opening of the code block as the assistant's turn (a prefill,
 * `openingText`): a model that continues it writes code at once, with no prose to skip and no
 * tokens spent on "Here is the code:", and the code ends at a closing fence, where generation can
 * stop. A server that ignores an assistant prefill answers afresh: an answer whose first line
 * opens a fenced block is read from that block. Without an opening, prose is never code.
 */
/** The code block an edit request opens for the model: its fence and info string. */
export interface CodeOpening {
  fence: string;
  language: string;
}

export function openingText(opening: CodeOpening): string {
  return `${opening.fence}${opening.language}\n`;
}

export interface CodeSoFar {
  /** The code written so far: whole lines only while the answer streams. */
  code: string;
  /** The code block ended: whatever the model writes next is not code. */
  closed: boolean;
}

/** A line that opens (or closes) a fenced block, as CommonMark reads one: up to three spaces, then the fence. */
const FENCE_START = /^ {0,3}(`{3,}|~{3,})/;

/** Whether a complete line closes a block opened with `fence`: the same character, at least as long, nothing after it. */
function closes(line: string, fence: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && match[1]![0] === fence[0] && match[1]!.length >= fence.length;
}

/** Drops a line still being written: a diff of half a line only flickers. */
function wholeLines(text: string): string {
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

/**
 * The code in `answer` so far. `final`: the answer is complete (its last line counts even without
 * a newline). Without `opening` the request opened nothing, and only a fenced block is code.
 */
export function readCode(answer: string, opening: CodeOpening | undefined, final = true): CodeSoFar {
  const start = answer.search(/\S/);
  if (start < 0) return { code: '', closed: false };
  const end = answer.indexOf('\n', start);
  const firstLine = answer.slice(start, end < 0 ? undefined : end);
  if (!opening) return freshAnswer(answer, final);
  const own = ownBlock(firstLine, opening);
  if (own === 'yes') return freshAnswer(answer, final);
  if (own === 'if-closed') {
    // A bare fence closes the opened block, unless a second fence shows it opened one of its own.
    const fresh = freshAnswer(answer, final);
    return fresh.closed ? fresh : { code: '', closed: final };
  }
  // "``" may yet become a fence: nothing is code until that line is whole.
  if (end < 0 && !final && /^[`~]+$/.test(firstLine)) return { code: '', closed: false };
  const lines = answer.split('\n');
  const complete = final ? lines.length : lines.length - 1;
  for (let index = 0; index < complete; index++) {
    if (closes(lines[index]!, opening.fence)) return { code: lines.slice(0, index).join('\n'), closed: true };
    // "Here is the fix:" then a block of its own: the server ignored the prefill, and began with prose.
    if (ownBlock(lines[index]!, opening) === 'yes') return freshAnswer(answer, final);
  }
  return { code: final ? answer : wholeLines(answer), closed: false };
}

/**
 * Whether the answer starts a block of its own (the server ignored the prefill): a fence with an
 * info string does; a bare one may (`if-closed`). A shorter fence is the code's own: the opening
 * is longer than any fence in the code it was made for (`fenceFor`).
 */
function ownBlock(firstLine: string, opening: CodeOpening): 'yes' | 'no' | 'if-closed' {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(firstLine);
  if (!match || match[1]!.length < opening.fence.length) return 'no';
  return match[2]!.trim() ? 'yes' : 'if-closed';
}

/** An answer with a block of its own: the code is its first fenced block, as far as it got. */
function freshAnswer(answer: string, final: boolean): CodeSoFar {
  const lines = answer.split('\n');
  const start = lines.findIndex((line) => FENCE_START.test(line));
  if (start < 0) return { code: '', closed: false };
  const fence = FENCE_START.exec(lines[start]!)![1]!;
  const complete = final ? lines.length : lines.length - 1;
  for (let index = start + 1; index < complete; index++) {
    if (closes(lines[index]!, fence)) return { code: lines.slice(start + 1, index).join('\n'), closed: true };
  }
  const body = lines.slice(start + 1).join('\n');
  return { code: final ? body : wholeLines(body), closed: false };
}
