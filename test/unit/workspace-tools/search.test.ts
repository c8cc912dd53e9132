import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceSearch } from '@jan/core';
import { createWorkspaceSearch, NodeWorkspaceSearch, RipgrepSearch } from '../../../extensions/workspace-tools';
import { SearchError } from '../../../extensions/workspace-tools/search-common';
import { rejection } from '../../support/rejection';
import { ensureRipgrep } from '../../support/ripgrep';

let sandbox: string;
let root: string;
let outside: string;

function write(relative: string, content: string | Buffer): void {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

beforeAll(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'jan-search-'));
  root = path.join(sandbox, 'repo');
  outside = path.join(sandbox, 'secrets');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'token.txt'), 'needle: the secret outside\n');
  write('src/app.ts', 'import { needle } from "./lib";\nexport const app = needle();\n');
  write('src/lib.ts', 'export function needle() {\n  return "Needle";\n}\n');
  write('src/deep/a/b/util.ts', '// needle deep down\n');
  write('README.md', '# Project\nSearch for the needle.\n');
  write('.gitignore', 'build/\n*.log\n!keep.log\n');
  write('build/out.js', 'needle in a build\n');
  write('debug.log', 'needle in a log\n');
  write('keep.log', 'needle kept\n');
  write('src/.gitignore', 'generated.ts\n');
  write('src/generated.ts', 'needle generated\n');
  write('node_modules/pkg/index.js', 'needle vendored\n');
  write('.git/config', 'needle in git\n');
  write('.jan/threads/t/messages.jsonl', '{"needle":"chat"}\n');
  write('.hidden/config.ts', 'const needle = 1;\n');
  write('assets/logo.png', Buffer.concat([Buffer.from('needle'), Buffer.alloc(64), Buffer.from('needle')]));
  write('unicode.txt', 'héllo wörld needle\n');
  write('long.min.js', `${'x'.repeat(5000)}needle${'y'.repeat(5000)}\n`);
  write('crlf.txt', 'first\r\nneedle here\r\n');
  symlinkSync(outside, path.join(root, 'linked-out'));
  symlinkSync(path.join(outside, 'token.txt'), path.join(root, 'token-link.txt'));
  execFileSync('mkfifo', [path.join(root, 'pipe.txt')]);
  // Over the 16 MB a search reads: skipped, as it is by ripgrep's --max-filesize.
  write('huge.log.txt', Buffer.alloc(17 * 1024 * 1024, 'needle\n'));
});

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const backends: Array<[string, () => WorkspaceSearch]> = [
  ['Node', () => new NodeWorkspaceSearch(['**/node_modules'])],
  ['ripgrep', () => new RipgrepSearch(ensureRipgrep(), ['**/node_modules'])],
];

describe.each(backends)('workspace search with %s', (_name, make) => {
  let search: WorkspaceSearch;
  beforeAll(() => {
    search = make();
  });

  it('finds files by glob, a name glob at any depth, leaving out ignored, excluded, linked and special files', async () => {
    const all = await search.findFiles(root, '**', 100);
    expect(all.files).toEqual([
      '.gitignore',
      '.hidden/config.ts',
      'README.md',
      'assets/logo.png',
      'crlf.txt',
      'huge.log.txt',
      'keep.log',
      'long.min.js',
      'src/.gitignore',
      'src/app.ts',
      'src/deep/a/b/util.ts',
      'src/lib.ts',
      'unicode.txt',
    ]);
    expect(all.truncated).toBe(false);
    expect((await search.findFiles(root, '*.ts', 100)).files).toEqual([
      '.hidden/config.ts',
      'src/app.ts',
      'src/deep/a/b/util.ts',
      'src/lib.ts',
    ]);
    expect((await search.findFiles(root, 'src/*.ts', 100)).files).toEqual(['src/app.ts', 'src/lib.ts']);
  });

  it('stops at the cap and says there is more', async () => {
    const capped = await search.findFiles(root, '**', 3);
    expect(capped).toEqual({ files: ['.gitignore', '.hidden/config.ts', 'README.md'], truncated: true });
  });

  it('searches text case-insensitively by default, in path order, with 1-based lines and character columns', async () => {
    const { matches, truncated } = await search.searchText(root, { pattern: 'needle', maxResults: 100 });
    expect(truncated).toBe(false);
    expect(matches.map((match) => `${match.path}:${match.line}`)).toEqual([
      '.hidden/config.ts:1',
      'README.md:2',
      'crlf.txt:2',
      'keep.log:1',
      'long.min.js:1',
      'src/app.ts:1',
      'src/app.ts:2',
      'src/deep/a/b/util.ts:1',
      'src/lib.ts:1',
      'src/lib.ts:2',
      'unicode.txt:1',
    ]);
    const unicode = matches.find((match) => match.path === 'unicode.txt');
    expect(unicode).toMatchObject({ column: 13, text: 'héllo wörld needle' });
    expect(matches.find((match) => match.path === 'crlf.txt')?.text).toBe('needle here');
  });

  it('cuts a very long line around the match', async () => {
    const { matches } = await search.searchText(root, { pattern: 'needle', include: '*.min.js', maxResults: 5 });
    expect(matches).toHaveLength(1);
    expect(matches[0].column).toBe(5001);
    expect(matches[0].text.length).toBeLessThanOrEqual(242);
    expect(matches[0].text).toMatch(/^…x+needley+…$/);
  });

  it('honours case, regular expressions, an include glob and the cap', async () => {
    const exact = await search.searchText(root, { pattern: 'Needle', caseSensitive: true, maxResults: 10 });
    expect(exact.matches.map((match) => match.path)).toEqual(['src/lib.ts']);
    const regex = await search.searchText(root, {
      pattern: 'export (const|function) \\w+',
      isRegex: true,
      maxResults: 10,
    });
    expect(regex.matches.map((match) => `${match.path}:${match.line}`)).toEqual(['src/app.ts:2', 'src/lib.ts:1']);
    const literal = await search.searchText(root, { pattern: 'needle()', maxResults: 10 });
    expect(literal.matches.map((match) => match.path)).toEqual(['src/app.ts', 'src/lib.ts']);
    const included = await search.searchText(root, { pattern: 'needle', include: 'src/**', maxResults: 2 });
    expect(included).toMatchObject({ truncated: true });
    expect(included.matches.map((match) => match.path)).toEqual(['src/app.ts', 'src/app.ts']);
  });

  it('reports a regular expression that does not parse', async () => {
    const error = await rejection(
      search.searchText(root, { pattern: 'needle(', isRegex: true, maxResults: 5 }),
      SearchError,
    );
    expect(error.message).toContain('"needle("');
  });
});

describe('choosing the search', () => {
  it('uses ripgrep when the path is executable, and Node when it is missing or not executable', () => {
    expect(createWorkspaceSearch({ ripgrepPath: ensureRipgrep() })).toBeInstanceOf(RipgrepSearch);
    expect(createWorkspaceSearch({ ripgrepPath: path.join(sandbox, 'no-rg') })).toBeInstanceOf(NodeWorkspaceSearch);
    expect(createWorkspaceSearch({})).toBeInstanceOf(NodeWorkspaceSearch);
  });
});
