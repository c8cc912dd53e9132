/**
 * What find and search leave out, the same for ripgrep and the Node walker: `.git` and `.jan`
 * always, the host's exclude globs (VS Code: `files.exclude` and `search.exclude`, relative to
 * the workspace folder), and `.gitignore` files (each for its own folder and below, with `!`
 * re-including, the deepest rule winning) plus `.git/info/exclude`. Its matchers (picomatch,
 * ignore) load with the first find or search: callers import this file with `import()`.
 */
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { ALWAYS_EXCLUDED } from './exclude-rules';

export type GlobMatcher = (relative: string) => boolean;

/**
 * A glob as the tools take it: relative to the workspace, `/` separators; without a `/` it
 * matches a name at any depth (`*.ts`), as in `.gitignore` and ripgrep's `--glob`.
 */
export function globMatcher(glob: string): GlobMatcher {
  const pattern = glob.replace(/^\.\//, '').replace(/\/$/, '');
  return picomatch(pattern, { dot: true, basename: !pattern.includes('/'), nocase: process.platform !== 'linux' });
}

export class Exclusions {
  private readonly globs: GlobMatcher[];
  /** Per folder with a `.gitignore` (workspace-relative, '' for the root), its rules. */
  private readonly gitignores = new Map<string, Ignore>();

  constructor(excludeGlobs: readonly string[]) {
    this.globs = excludeGlobs.map(globMatcher);
  }

  addGitignore(folder: string, text: string): void {
    const existing = this.gitignores.get(folder);
    if (existing) existing.add(text);
    else this.gitignores.set(folder, ignore({ allowRelativePaths: true }).add(text));
  }

  /** Whether a workspace-relative path (a folder when `isFolder`) is left out. */
  excludes(relative: string, isFolder: boolean): boolean {
    const name = relative.slice(relative.lastIndexOf('/') + 1);
    if (ALWAYS_EXCLUDED.includes(name)) return true;
    if (this.globs.some((matches) => matches(relative))) return true;
    return this.ignoredByGit(relative, isFolder);
  }

  private ignoredByGit(relative: string, isFolder: boolean): boolean {
    let ignored = false;
    const segments = relative.split('/');
    for (let depth = 0; depth < segments.length; depth += 1) {
      const rules = this.gitignores.get(segments.slice(0, depth).join('/'));
      if (!rules) continue;
      const below = segments.slice(depth).join('/') + (isFolder ? '/' : '');
      const verdict = rules.test(below);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}
