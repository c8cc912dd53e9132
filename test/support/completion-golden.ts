import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCompletionContext, type CompletionContext } from '@jan/core';

/** One golden case: a document with the cursor marked `║`, what the model wrote, what the user should see. */
export interface GoldenCase {
  name: string;
  /** VS Code language id; `plaintext` when absent. */
  language?: string;
  document: string;
  raw: string;
  /** The ghost text, or null when nothing should be shown. */
  expected: string | null;
  /** The document after accepting the suggestion (cursor marker removed): what the user has after Tab. */
  accepted?: string;
}

export const CURSOR = '║';

/** The golden case files, one per post-processing rule, found from this file or from its bundled copy (out/bench/). */
export function goldenFiles(): Array<{ rule: string; cases: GoldenCase[] }> {
  let folder: string | undefined;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); !folder; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'fixtures', 'completion');
    if (existsSync(candidate)) folder = candidate;
    else if (path.dirname(dir) === dir) throw new Error('test/fixtures/completion was not found above this file.');
  }
  return readdirSync(folder)
    .filter((file) => file.endsWith('.golden.json'))
    .sort()
    .map((file) => ({
      rule: file.slice(0, -'.golden.json'.length),
      cases: JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as GoldenCase[],
    }));
}

/** The completion context at the cursor marker, with the lines and cursor position it came from. */
export function goldenContext(golden: GoldenCase, language = golden.language ?? 'plaintext') {
  const lines = golden.document.split('\n');
  const line = lines.findIndex((candidate) => candidate.includes(CURSOR));
  if (line < 0) throw new Error(`golden case "${golden.name}" has no cursor marker ${CURSOR}`);
  const character = lines[line]!.indexOf(CURSOR);
  lines[line] = lines[line]!.replace(CURSOR, '');
  return {
    context: buildCompletionContext(lines, line, character, language, { prefixLines: 1000, suffixLines: 1000 }),
    lines,
    line,
    character,
  };
}

/** The document after accepting `text`, which replaces the first `replaced` characters after the cursor. */
export function accept(golden: GoldenCase, text: string, replaced: number): string {
  const at = golden.document.indexOf(CURSOR);
  return golden.document.slice(0, at) + text + golden.document.slice(at + CURSOR.length + replaced);
}

/**
 * Closing brackets that close nothing, counted naively (strings included) so that it does not share
 * the post-processing's own scanner. A closer that matches a bracket further down closes it and the
 * ones left open inside it (a suggestion cut short leaves code unfinished, not doubled); one that
 * matches no open bracket is stray. An accepted suggestion must never add one: that is a doubled closer.
 */
export function strayClosers(text: string): number {
  const openers: string[] = [];
  let stray = 0;
  for (const char of text) {
    if ('([{'.includes(char)) openers.push(char);
    else if (')]}'.includes(char)) {
      const at = openers.lastIndexOf('([{'[')]}'.indexOf(char)]!);
      if (at < 0) stray++;
      else openers.length = at;
    }
  }
  return stray;
}

/** What accepting a suggestion must never do to a document. */
export type AcceptanceProblem = 'stray closer' | 'doubled punctuation' | 'early close';

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
/** A line that opens a block whose body is the deeper code after it (`def f():`, `} else {`, `foo(`). */
const opensBlock = (line: string) => /[:{[(]\s*$|=>\s*$/.test(line);

/**
 * What accepting `text` (replacing `replaced` characters after the cursor) does wrong, judged on the
 * document after Tab with checks of its own (none of the post-processing's code): a closing bracket
 * that closes nothing, a `;` or `,` written right before the same one the line already has, or a
 * line written on its own that is shallower than the code after it in the block the cursor is in
 * (a `}` or a dedent that ends that block before its code: `return y` at column 0 inside a function).
 */
export function acceptanceProblems(golden: GoldenCase, text: string, replaced: number): AcceptanceProblem[] {
  const problems: AcceptanceProblem[] = [];
  const original = golden.document.replace(CURSOR, '');
  const accepted = accept(golden, text, replaced);
  if (strayClosers(accepted) > strayClosers(original)) problems.push('stray closer');
  const at = golden.document.indexOf(CURSOR);
  const after = golden.document.slice(at + CURSOR.length + replaced);
  const last = text.trimEnd().at(-1);
  const restOfLine = after.split('\n')[0]!;
  if ((last === ';' || last === ',') && restOfLine.trimStart().startsWith(last)) problems.push('doubled punctuation');
  const linePrefix = golden.document.slice(golden.document.lastIndexOf('\n', at - 1) + 1, at);
  const written = (linePrefix + text).split('\n');
  // Lines of the suggestion that start a line of their own: every line after the first, and the first at a line start.
  const own = written.map((line, index) => ({ line, own: index > 0 || !linePrefix.trim() }));
  own[own.length - 1]!.line += restOfLine;
  const next = after
    .split('\n')
    .slice(1)
    .find((line) => line.trim());
  if (next !== undefined) {
    const depth = indentOf(next);
    const code = own.filter(({ line }) => line.trim());
    code.forEach(({ line, own: ownLine }, index) => {
      const opensNext = index === code.length - 1 && opensBlock(line);
      if (ownLine && indentOf(line) < depth && !opensNext && !problems.includes('early close'))
        problems.push('early close');
    });
  }
  return problems;
}

export type { CompletionContext };
