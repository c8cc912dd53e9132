import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codebaseContextText, codebaseSearch, questionTerms } from '@jan/core';
import { createWorkspaceSearch, TextSymbols } from '../../../extensions/workspace-tools';

let root: string;

function write(relative: string, content: string): void {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-codebase-'));
  write(
    'src/settings.ts',
    [
      'export interface Settings { maxTokens: number; theme: string }',
      'export function readSettings(raw: Record<string, unknown>): Settings {',
      '  const maxTokens = Number(raw.maxTokens ?? 1024);',
      '  return { maxTokens, theme: String(raw.theme) };',
      '}',
    ].join('\n'),
  );
  write(
    'src/reply.ts',
    'import { readSettings } from "./settings";\nexport const limit = readSettings({}).maxTokens;\n',
  );
  write('src/theme.ts', '// The setting for colours.\nexport const theme = "dark";\n');
  write('docs/guide.md', 'Settings are read when the editor starts. The setting maxTokens bounds a reply.\n');
  for (let index = 0; index < 30; index += 1)
    write(`src/noise/n${index}.ts`, `// setting ${index}\nexport const n${index} = ${index};\n`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('codebase search', () => {
  it('takes quoted phrases and identifiers first, then words that are not stop words', () => {
    expect(questionTerms('Where is the maxTokens setting read from "user config"?')).toEqual([
      { text: 'user config', weight: 2 },
      { text: 'maxTokens', weight: 1.5 },
      { text: 'setting', weight: 1 },
    ]);
    expect(questionTerms('how does it work?')).toEqual([]);
  });

  it('ranks the file that defines and reads the setting first, one best line per file, a rare term over a common one', async () => {
    const search = createWorkspaceSearch({});
    const hits = await codebaseSearch('where is the maxTokens setting read?', {
      root,
      search,
      symbols: new TextSymbols(search),
    });
    expect(hits[0]).toMatchObject({ path: 'src/settings.ts', terms: ['maxTokens', 'setting'] });
    expect(hits[0].lines).toEqual([1, 2, 3, 4]);
    // Both terms beat one common term, wherever it is.
    expect(new Set(hits.slice(1, 3).map((hit) => hit.path))).toEqual(new Set(['docs/guide.md', 'src/reply.ts']));
    expect(hits.slice(3).every((hit) => hit.path.startsWith('src/noise/') || hit.path === 'src/theme.ts')).toBe(true);
    expect(hits).toHaveLength(8);
    expect(hits.every((hit, index) => index === 0 || hits[index - 1].score >= hit.score)).toBe(true);
    expect(codebaseContextText('maxTokens', hits.slice(0, 1))).toBe(
      `Code in the workspace matching: maxTokens\nsrc/settings.ts:${hits[0].line}: ${hits[0].text}`,
    );
  });

  it('finds nothing for a question with no usable terms', async () => {
    expect(await codebaseSearch('why?', { root, search: createWorkspaceSearch({}) })).toEqual([]);
  });
});
