import { describe, expect, it } from 'vitest';
import { Checkpoint, planRestore } from '../../../src/vscode/chat/agent/checkpoint';

describe('an agent turn’s checkpoint', () => {
  it('keeps each file’s text before the first change and after the last', () => {
    const checkpoint = new Checkpoint();
    checkpoint.add([{ path: 'a.ts', before: 'one', after: 'two' }]);
    checkpoint.add([
      { path: 'a.ts', before: 'two', after: 'three' },
      { path: 'new.ts', before: null, after: 'made' },
    ]);
    checkpoint.add([{ path: 'same.ts', before: 'x', after: 'y' }]);
    checkpoint.add([{ path: 'same.ts', before: 'y', after: 'x' }]);
    expect(checkpoint.restores()).toEqual([
      { path: 'a.ts', text: 'one', expected: 'three' },
      { path: 'new.ts', text: null, expected: 'made' },
    ]);
    expect(checkpoint.paths).toEqual(['a.ts', 'new.ts', 'same.ts']);
  });

  it('never takes a path outside the workspace', () => {
    const checkpoint = new Checkpoint();
    const outside = ['/etc/passwd', '../up.ts', 'a/../../up.ts', 'C:\\x.ts', '\\\\server\\share', 'a\\..\\..\\b', ''];
    checkpoint.add(outside.map((path) => ({ path, before: 'x', after: 'y' })));
    expect(checkpoint.paths).toEqual([]);
  });

  it('plans to leave a file whose text is no longer what the turn left', async () => {
    const now: Record<string, string | null> = { 'a.ts': 'three', 'b.ts': 'typed since', 'gone.ts': null };
    const plan = await planRestore(
      [
        { path: 'a.ts', text: 'one', expected: 'three' },
        { path: 'b.ts', text: 'b', expected: 'agent b' },
        { path: 'gone.ts', text: 'back', expected: null },
      ],
      async (path) => now[path] ?? null,
    );
    expect(plan.writes.map((file) => file.path)).toEqual(['a.ts', 'gone.ts']);
    expect(plan.conflicts).toEqual(['b.ts']);
  });
});
