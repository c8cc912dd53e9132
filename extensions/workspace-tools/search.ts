import type { WorkspaceSearch } from '@jan/core';
import { DEFAULT_EXCLUDES } from './exclude-rules';
import { NodeWorkspaceSearch } from './node-search';
import { executable, RipgrepSearch } from './ripgrep';

export interface SearchOptions {
  /** A ripgrep binary (VS Code: the one it ships); without one, or when it is not executable, the Node search. */
  ripgrepPath?: string;
  /** Workspace-relative globs left out of find and search (VS Code: `files.exclude` + `search.exclude`). */
  excludes?: readonly string[];
}

export function createWorkspaceSearch(options: SearchOptions = {}): WorkspaceSearch {
  const excludes = options.excludes ?? DEFAULT_EXCLUDES;
  const rg = executable(options.ripgrepPath);
  return rg ? new RipgrepSearch(rg, excludes) : new NodeWorkspaceSearch(excludes);
}
