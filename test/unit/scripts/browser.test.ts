import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findBrowser } from '../../../scripts/browser.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folderWith(...names: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jan-browser-'));
  dirs.push(dir);
  for (const name of names) {
    writeFileSync(path.join(dir, name), '#!/bin/sh\n');
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

// 'darwin' on this Linux machine: no well-known path exists, so only PATH and the variable count.
describe('findBrowser', () => {
  it('takes the first Chromium-family browser on PATH', () => {
    const first = folderWith('google-chrome');
    const second = folderWith('chromium');
    expect(findBrowser({ PATH: [first, second].join(path.delimiter) }, 'darwin')).toBe(path.join(second, 'chromium'));
    expect(findBrowser({ PATH: first }, 'darwin')).toBe(path.join(first, 'google-chrome'));
  });

  it('ignores files that are not executable', () => {
    const dir = folderWith();
    writeFileSync(path.join(dir, 'chromium'), 'not a program');
    chmodSync(path.join(dir, 'chromium'), 0o644);
    expect(findBrowser({ PATH: dir }, 'darwin')).toBeUndefined();
  });

  it('prefers JAN_TEST_BROWSER and refuses one that does not exist', () => {
    const dir = folderWith('chromium', 'my-browser');
    expect(findBrowser({ PATH: dir, JAN_TEST_BROWSER: path.join(dir, 'my-browser') }, 'darwin')).toBe(
      path.join(dir, 'my-browser'),
    );
    expect(() => findBrowser({ PATH: dir, JAN_TEST_BROWSER: path.join(dir, 'missing') }, 'darwin')).toThrow(
      /JAN_TEST_BROWSER=.*missing is not an executable/,
    );
  });

  it('returns nothing when there is no browser at all', () => {
    expect(findBrowser({ PATH: folderWith() }, 'darwin')).toBeUndefined();
  });
});
