import { describe, expect, it } from 'vitest';
import { coveredClosers, postprocessCompletion } from '@jan/core';
import { acceptanceProblems, goldenContext, goldenFiles } from '../../support/completion-golden';

// The document after Tab is what matters: over every golden case, and over every point where a model
// could have stopped writing its output (anywhere on its first line, at the end of any later line: a
// generation cut short mid-line loses that line, inline-completion.ts), accepting the suggestion never
// leaves a closer that closes nothing, never writes a `;` / `,` the line already has after the cursor,
// and never ends the block the cursor is in before its code.
describe('accepting a suggestion never breaks the document', () => {
  for (const { rule, cases } of goldenFiles()) {
    for (const golden of cases) {
      it(`${rule}: ${golden.name}`, () => {
        const { context } = goldenContext(golden);
        const found = new Map<string, number>();
        const firstLineEnd = golden.raw.indexOf('\n');
        for (let length = 1; length <= golden.raw.length; length++) {
          if (length > firstLineEnd && firstLineEnd >= 0 && length < golden.raw.length && golden.raw[length] !== '\n')
            continue;
          const text = postprocessCompletion(golden.raw.slice(0, length), context);
          if (text === undefined) continue;
          for (const problem of acceptanceProblems(golden, text, coveredClosers(text, context)))
            if (!found.has(problem)) found.set(problem, length);
        }
        expect(Object.fromEntries(found), 'problem → length of the output that shows it').toEqual({});
      });
    }
  }
});
