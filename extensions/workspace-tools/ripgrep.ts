/**
 * Find and search with ripgrep, the binary VS Code ships (`<appRoot>/node_modules/@vscode/ripgrep/bin/rg`)
 * or one on PATH; its path is given, never downloaded. The flags make it leave out what the Node
 * walker leaves out (exclusions.ts): `.gitignore` files with or without a git repository, no
 * global or parent ignore files, no `.ignore`, hidden files included, links not followed, and
 * the user's ripgrep config ignored. Results are in path order and stop at the cap.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { FileSearchResult, TextMatch, TextSearchQuery, TextSearchResult, WorkspaceSearch } from '@jan/core';
import { ALWAYS_EXCLUDED } from './exclude-rules';
import type { GlobMatcher } from './exclusions';
import { cutLine, MAX_SEARCHED_FILE_BYTES, SearchError } from './search-common';
import { openWorkspace } from './workspace-path';

const COMMON_FLAGS = [
  '--no-config',
  '--hidden',
  '--no-follow',
  '--no-require-git',
  '--no-ignore-global',
  '--no-ignore-parent',
  '--no-ignore-dot',
  '--sort=path',
];

/** An executable at `file`, else undefined. */
export function executable(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
}

/** `rg` on PATH (the CLI's fallback when no path is given). */
export function ripgrepOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === 'win32' ? ['rg.exe'] : ['rg'];
  for (const folder of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const found = executable(path.join(folder, name));
      if (found) return found;
    }
  }
  return undefined;
}

type RgText = { text?: string; bytes?: string };
const textOf = (value: RgText | undefined): string =>
  value?.text ?? (value?.bytes ? Buffer.from(value.bytes, 'base64').toString('utf8') : '');

interface Run {
  /** Called per stdout line; return false to stop ripgrep (enough results). */
  onLine(line: string): boolean;
}

export class RipgrepSearch implements WorkspaceSearch {
  private excluded: GlobMatcher[] | undefined;

  constructor(
    private readonly rgPath: string,
    private readonly excludes: readonly string[],
  ) {}

  /** The glob matchers (exclusions.ts), loaded with the first find or search. */
  private async matchers(): Promise<{ globMatcher: (glob: string) => GlobMatcher; excluded: GlobMatcher[] }> {
    const { globMatcher } = await import('./exclusions');
    this.excluded ??= this.excludes.map(globMatcher);
    return { globMatcher, excluded: this.excluded };
  }

  private flags(): string[] {
    return [...COMMON_FLAGS, ...[...ALWAYS_EXCLUDED, ...this.excludes].map((glob) => `--glob=!${glob}`)];
  }

  /** ripgrep's globs and picomatch differ in corners: the same matcher as the Node walk decides. */
  private kept(relative: string, excluded: GlobMatcher[]): boolean {
    return !relative.split('/').some((name) => ALWAYS_EXCLUDED.includes(name)) && !excluded.some((m) => m(relative));
  }

  private async run(
    root: string,
    args: string[],
    handler: Run,
    signal?: AbortSignal,
  ): Promise<{ stderr: string; code: number | null }> {
    const workspace = await openWorkspace(root);
    signal?.throwIfAborted();
    const child = spawn(this.rgPath, args, {
      cwd: workspace.realRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    const stop = (): void => {
      child.kill();
    };
    signal?.addEventListener('abort', stop, { once: true });
    const exited = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
    // Awaited after the output is read; a spawn failure must not count as unhandled meanwhile.
    exited.catch(() => undefined);
    try {
      const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
      for await (const line of lines) {
        if (!handler.onLine(line)) {
          stop();
          break;
        }
      }
      const code = await exited;
      signal?.throwIfAborted();
      return { stderr, code };
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  async findFiles(root: string, glob: string, maxResults: number, signal?: AbortSignal): Promise<FileSearchResult> {
    const { globMatcher, excluded } = await this.matchers();
    const matches = globMatcher(glob);
    const files: string[] = [];
    let truncated = false;
    await this.run(
      root,
      ['--files', ...this.flags()],
      {
        onLine: (line) => {
          const relative = line.split(path.sep).join('/');
          if (!this.kept(relative, excluded) || !matches(relative)) return true;
          if (files.length === maxResults) {
            truncated = true;
            return false;
          }
          files.push(relative);
          return true;
        },
      },
      signal,
    );
    return { files, truncated };
  }

  async searchText(root: string, query: TextSearchQuery, signal?: AbortSignal): Promise<TextSearchResult> {
    const { globMatcher, excluded } = await this.matchers();
    const included = query.include ? globMatcher(query.include) : () => true;
    const matches: TextMatch[] = [];
    let truncated = false;
    const args = [
      '--json',
      `--max-filesize=${MAX_SEARCHED_FILE_BYTES}`,
      query.caseSensitive ? '--case-sensitive' : '--ignore-case',
      ...(query.isRegex ? [] : ['--fixed-strings']),
      ...this.flags(),
      ...(query.include ? [`--glob=${query.include}`] : []),
      `--regexp=${query.pattern}`,
    ];
    const { code, stderr } = await this.run(
      root,
      args,
      {
        onLine: (line) => {
          const event = JSON.parse(line) as { type: string; data: RgMatch };
          if (event.type !== 'match') return true;
          const relative = textOf(event.data.path).split(path.sep).join('/');
          if (!this.kept(relative, excluded) || !included(relative)) return true;
          if (matches.length === query.maxResults) {
            truncated = true;
            return false;
          }
          matches.push(toMatch(relative, event.data));
          return true;
        },
      },
      signal,
    );
    if (code === 2 && matches.length === 0 && /regex|syntax|parse/i.test(stderr))
      throw new SearchError(`The regular expression ${JSON.stringify(query.pattern)} is not valid: ${stderr.trim()}`);
    return { matches, truncated };
  }
}

interface RgMatch {
  path: RgText;
  lines: RgText;
  line_number: number;
  submatches: Array<{ start: number }>;
}

function toMatch(relative: string, data: RgMatch): TextMatch {
  const text = textOf(data.lines);
  // ripgrep counts bytes; the model and the editor count characters.
  const byteStart = data.submatches[0]?.start ?? 0;
  const column = Buffer.from(text, 'utf8').subarray(0, byteStart).toString('utf8').length + 1;
  return { path: relative, line: data.line_number, column, text: cutLine(text, column) };
}
