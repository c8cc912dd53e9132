/**
 * Runaway output of small models: a line that repeats itself, identical lines, a repeated block of
 * lines, and similar lines (`const b = 1;` … `const k =`). Each returns how many lines to keep.
 */

/** Lines of a block that may repeat; longer repeats are rare and cut by the scope anyway. */
const MAX_BLOCK = 6;
/** Similar lines in a row that are a runaway wherever they stop (the early stop can rely on it). */
const SIMILAR_RUN = 5;
/** Similar lines in a row that are a runaway when they run to the end of the output (the token limit). */
const SIMILAR_RUN_AT_END = 3;

/**
 * Whether a line repeats one piece over and over (`foo = foo = foo = …`, `100000000…`): a piece with a
 * letter or digit covering at least 20 characters, 16 times when it is one or two characters long,
 * three and a half times otherwise. Separators such as `// -------` repeat no letter and stay.
 */
export function repeatsItself(line: string): boolean {
  const text = line.trim();
  for (let start = 0; start < text.length; start++) {
    for (let size = 1; size <= 20 && start + size * 2 <= text.length; size++) {
      const piece = text.slice(start, start + size);
      if (!/[\p{L}\p{N}]/u.test(piece)) continue;
      let span = size;
      while (span < text.length - start && text[start + span] === piece[span % size]) span++;
      if (span >= 20 && span >= (size <= 2 ? 16 : 3.5 * size)) return true;
    }
  }
  return false;
}

/** The shape of a line: words, numbers and strings replaced, so `const b = 1;` and `const c = 2;` match. */
function skeleton(line: string): string {
  return line
    .trim()
    .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, 's')
    .replace(/\b\d[\w.]*\b/g, '0')
    .replace(/[\p{L}_$][\p{L}\p{N}_$]*/gu, 'w');
}

function similar(line: string, previous: string, last: boolean): boolean {
  if (!line.trim() || !previous.trim() || line.trim() === previous.trim()) return false;
  const shape = skeleton(line);
  const before = skeleton(previous);
  // The last line of a completion stopped by the token limit is cut short: its start is enough.
  return shape === before || (last && shape.length >= 2 && before.startsWith(shape));
}

/**
 * How many of `lines` to keep before runaway repetition. `atEnd`: the lines are the whole output
 * (a run of similar lines reaching the end is a runaway cut by the token limit); false while the
 * output is still streaming, where only what further output cannot undo is judged.
 */
export function repetitionLineCount(lines: readonly string[], atEnd = true): number {
  let keep = lines.length;
  for (let index = 0; index < lines.length && index < keep; index++) {
    const line = lines[index]!;
    if (repeatsItself(line)) keep = Math.min(keep, index);
    // Identical lines: the third in a row ends it, one is kept; a line of code written twice in a row
    // (a YAML key, a statement) is the model looping, not code anyone writes.
    if (index >= 2 && line.trim() && line === lines[index - 1] && line === lines[index - 2])
      keep = Math.min(keep, index - 1);
    if (index >= 1 && line === lines[index - 1] && line.trim().length >= 6 && /[\p{L}\p{N}]/u.test(line))
      keep = Math.min(keep, index);
    for (let size = 2; size <= MAX_BLOCK && index + 2 * size <= lines.length; size++) {
      const block = lines.slice(index, index + size);
      // A block of one line over and over is the identical-lines case above.
      if (block.every((entry) => entry === block[0])) continue;
      if (
        block.some((entry) => entry.trim()) &&
        block.every((entry, offset) => entry.trimEnd() === lines[index + size + offset]!.trimEnd())
      ) {
        keep = Math.min(keep, index + size);
      }
    }
  }
  let run = 1;
  for (let index = 1; index < Math.min(keep, lines.length); index++) {
    const last = atEnd && index === lines.length - 1;
    run = similar(lines[index]!, lines[index - 1]!, last) ? run + 1 : 1;
    const start = index - run + 1;
    if (run >= SIMILAR_RUN || (last && run >= SIMILAR_RUN_AT_END)) return Math.min(keep, start + 1);
  }
  return keep;
}
