import { describe, expect, it } from 'vitest';
import type { Token } from 'node-llama-cpp';
import { droppedRange } from '../../../extensions/llamacpp/worker/context-shift';

const tokens = (...runs: number[][]): Token[] => runs.flat() as Token[];
const run = (from: number, length: number) => Array.from({ length }, (_, index) => from + index);

describe('droppedRange: the part of a sequence a new prompt leaves out', () => {
  const system = run(1000, 20);
  const old = run(2000, 50);
  const kept = run(3000, 60);
  const turn = run(4000, 15);

  it('finds the old turns dropped after the instructions', () => {
    expect(droppedRange(tokens(system, old, kept), tokens(system, kept, turn))).toEqual({
      start: 20,
      end: 70,
      kept: 60,
    });
  });

  it('keeps what matches even when the last reply was tokenized differently at its end', () => {
    const reply = run(5000, 40);
    const retokenized = [...reply.slice(0, 38), 9, 9];
    expect(droppedRange(tokens(system, old, kept, reply), tokens(system, kept, retokenized, turn))).toEqual({
      start: 20,
      end: 70,
      kept: 60 + 38,
    });
  });

  it('finds nothing when the prompt only extends the sequence, or starts over', () => {
    expect(droppedRange(tokens(system, old), tokens(system, old, turn))).toBeUndefined();
    expect(droppedRange(tokens(system, old), tokens(system))).toBeUndefined();
    expect(droppedRange(tokens(system, old), tokens(run(7000, 80)))).toBeUndefined();
  });

  it('does not shift for a short run that happens to match', () => {
    const echo = [...old.slice(10, 20), ...run(8000, 40)];
    expect(droppedRange(tokens(system, old, kept), tokens(system, echo))).toBeUndefined();
  });
});
