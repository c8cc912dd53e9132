/**
 * The Node walker behind find and search when there is no ripgrep: the workspace's files in
 * ripgrep's `--sort path` order, leaving out what `Exclusions` says. Links are not followed (a
 * link to a folder outside would bring its files in), and each folder's real path is checked to
 * be inside the workspace before its names are used.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MAX_GITIGNORE_BYTES } from './exclude-rules';
import { textInside } from './text-file';
import { isWithin, type Workspace } from './workspace-path';

/** Entries looked at before a walk stops (and says it stopped). */
export const MAX_WALKED_ENTRIES = 200_000;

export interface WalkState {
  /** The walk stopped at MAX_WALKED_ENTRIES. */
  stopped: boolean;
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Folders deeper than this are not walked into (a link loop cannot happen: links are not followed). */
const MAX_DEPTH = 64;

/**
 * Yields workspace-relative file paths (`/` separators) depth first in name order, as ripgrep's
 * `--sort path` lists them; `state.stopped` tells a walk cut at MAX_WALKED_ENTRIES.
 */
export async function* walkFiles(
  workspace: Workspace,
  excludeGlobs: readonly string[],
  state: WalkState = { stopped: false },
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const { Exclusions } = await import('./exclusions');
  const exclusions = new Exclusions(excludeGlobs);
  const infoExclude = await textInside(workspace, '.git/info/exclude', MAX_GITIGNORE_BYTES);
  if (infoExclude) exclusions.addGitignore('', infoExclude);
  let walked = 0;
  async function* visit(folder: string, depth: number): AsyncGenerator<string> {
    signal?.throwIfAborted();
    const absolute = path.join(workspace.realRoot, folder);
    const real = await fs.realpath(absolute).catch(() => undefined);
    if (real === undefined || !isWithin(workspace.realRoot, real)) return;
    const gitignore = await textInside(workspace, folder ? `${folder}/.gitignore` : '.gitignore', MAX_GITIGNORE_BYTES);
    if (gitignore) exclusions.addGitignore(folder, gitignore);
    const entries = await fs.readdir(absolute, { withFileTypes: true }).catch(() => []);
    entries.sort(byName);
    for (const entry of entries) {
      if (state.stopped || ++walked > MAX_WALKED_ENTRIES) {
        state.stopped = true;
        return;
      }
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !exclusions.excludes(relative, true)) yield* visit(relative, depth + 1);
      } else if (entry.isFile() && !exclusions.excludes(relative, false)) {
        yield relative;
      }
    }
  }
  yield* visit('', 0);
}
