import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJsonFile, readJsonFiles } from '../../../src/core/store/json-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'jan-json-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

describe('reading JSON files from disk', () => {
  it('reads JSON, with or without a byte order mark', async () => {
    expect(await readJsonFile(file('a.json', '{"a":1}'))).toEqual({ status: 'ok', value: { a: 1 } });
    expect(await readJsonFile(file('b.json', '\ufeff{"b":2}'))).toEqual({ status: 'ok', value: { b: 2 } });
  });

  it('tells an empty file (also one of blanks or a lone BOM) from one that is not JSON', async () => {
    for (const text of ['', '  \n', '\ufeff', '\ufeff \n']) {
      expect(await readJsonFile(file('empty.json', text))).toEqual({ status: 'invalid', error: 'the file is empty' });
    }
    expect(await readJsonFile(file('bad.json', '{"a":'))).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/^not valid JSON: /),
    });
  });

  it('says a file is missing, and throws on anything else', async () => {
    expect(await readJsonFile(path.join(dir, 'none.json'))).toEqual({ status: 'missing' });
    mkdirSync(path.join(dir, 'folder.json'));
    await expect(readJsonFile(path.join(dir, 'folder.json'))).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('reads many files in order, each with its own outcome, also across many slices', async () => {
    mkdirSync(path.join(dir, 'folder.json'));
    const names = [
      file('ok.json', '[1]'),
      path.join(dir, 'none.json'),
      path.join(dir, 'folder.json'),
      file('bad.json', 'nope'),
      file('bom.json', '\ufeff"x"'),
    ];
    expect(await readJsonFiles(names)).toEqual([
      { status: 'ok', value: [1] },
      { status: 'missing' },
      { status: 'unreadable', error: expect.stringContaining('EISDIR') },
      { status: 'invalid', error: expect.stringMatching(/^not valid JSON/) },
      { status: 'ok', value: 'x' },
    ]);
    const many = Array.from({ length: 50 }, (_, index) => file(`n${index}.json`, String(index)));
    expect(
      (await readJsonFiles(many, undefined, 0)).map((result) =>
        result.status === 'ok' ? result.value : result.status,
      ),
    ).toEqual(many.map((_, index) => index));
    expect(await readJsonFiles([])).toEqual([]);
  });
});
