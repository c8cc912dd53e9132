import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolder, type BatchJsonFileResult } from '@jan/core';

let dir: string;
let folder: DataFolder;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'jan-json-'));
  folder = new DataFolder(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

const okValue = (result: BatchJsonFileResult) =>
  result.status === 'ok' ? { status: 'ok', value: result.value } : result;

describe('reading JSON files from disk', () => {
  it('reads JSON, with or without a byte order mark', async () => {
    expect(okValue(await folder.readJson(file('a.json', '{"a":1}')))).toEqual({ status: 'ok', value: { a: 1 } });
    expect(okValue(await folder.readJson(file('b.json', '\ufeff{"b":2}')))).toEqual({ status: 'ok', value: { b: 2 } });
  });

  it('tells an empty file (also one of blanks or a lone BOM) from one that is not JSON', async () => {
    for (const text of ['', '  \n', '\ufeff', '\ufeff \n']) {
      expect(await folder.readJson(file('empty.json', text))).toEqual({
        status: 'invalid',
        error: 'the file is empty',
      });
    }
    expect(await folder.readJson(file('bad.json', '{"a":'))).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/^not valid JSON: /),
    });
  });

  it('says a file is missing, and that a folder is not a file', async () => {
    expect(await folder.readJson(path.join(dir, 'none.json'))).toEqual({ status: 'missing' });
    mkdirSync(path.join(dir, 'folder.json'));
    expect(await folder.readJson(path.join(dir, 'folder.json'))).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/not a regular file/),
    });
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
    expect((await folder.readJsonFiles(names)).map(okValue)).toEqual([
      { status: 'ok', value: [1] },
      { status: 'missing' },
      { status: 'invalid', error: expect.stringMatching(/not a regular file/) },
      { status: 'invalid', error: expect.stringMatching(/^not valid JSON/) },
      { status: 'ok', value: 'x' },
    ]);
    const many = Array.from({ length: 50 }, (_, index) => file(`n${index}.json`, String(index)));
    expect(
      (await folder.readJsonFiles(many)).map((result) => (result.status === 'ok' ? result.value : result.status)),
    ).toEqual(many.map((_, index) => index));
    expect(await folder.readJsonFiles([])).toEqual([]);
  });
});
