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
  /** The document after accepting the suggestion (cursor marker removed), when the case is about what acceptance leaves. */
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
 * the post-processing's own scanner. An accepted suggestion must never add one: that is a doubled closer.
 */
export function strayClosers(text: string): number {
  const openers: string[] = [];
  let stray = 0;
  for (const char of text) {
    if ('([{'.includes(char)) openers.push(char);
    else if (')]}'.includes(char)) {
      if (openers.at(-1) === '([{'[')]}'.indexOf(char)]) openers.pop();
      else stray++;
    }
  }
  return stray;
}

export type { CompletionContext };
