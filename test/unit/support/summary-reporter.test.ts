import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const config = path.join(root, 'test/fixtures/reporter/vitest.config.mts');
const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');

/** Runs vitest with the summary reporter on one fixture file; returns the closing line and exit code. */
function runFixture(name: string): Promise<{ line: string; code: number | null }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [vitest, 'run', '--config', config, name],
      { cwd: root, env: { ...process.env, CI: 'true' } },
      (error, stdout) => {
        const lines = stdout.trim().split('\n');
        resolve({ line: lines.at(-1) ?? '', code: error ? (typeof error.code === 'number' ? error.code : null) : 0 });
      },
    );
  });
}

// The closing line is what CI reads: it must never say "0 failed" when vitest itself failed.
describe('summary reporter', () => {
  it.each([
    ['before-all-throws', '0 passed, 2 failed, 0 skipped'],
    ['after-all-throws', '1 passed, 1 failed, 0 skipped'],
    ['import-throws', '0 passed, 1 failed, 0 skipped'],
    ['unhandled-rejection', '1 passed, 1 failed, 0 skipped'],
    ['honest', '1 passed, 1 failed, 2 skipped'],
  ])('%s closes with "%s" and a failing exit code', async (fixture, expected) => {
    const { line, code } = await runFixture(fixture);
    expect(line).toBe(expected);
    expect(code).not.toBe(0);
  });

  it('closes a clean run with 0 failed and exit code 0', async () => {
    expect(await runFixture('passing')).toEqual({ line: '1 passed, 0 failed, 1 skipped', code: 0 });
  });
});
