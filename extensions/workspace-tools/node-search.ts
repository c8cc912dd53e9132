/**
 * Find and search without ripgrep (the CLI on a machine without one, or when the host gives no
 * path): the Node walker, each file opened and checked like any workspace read, binary files
 * and files over 16 MB skipped as ripgrep is told to.
 */
import type { FileSearchResult, TextMatch, TextSearchQuery, TextSearchResult, WorkspaceSearch } from '@jan/core';
import { cutLine, MAX_SEARCHED_FILE_BYTES, queryRegex } from './search-common';
import { textInside } from './text-file';
import { walkFiles, type WalkState } from './walk';
import { openWorkspace } from './workspace-path';

export class NodeWorkspaceSearch implements WorkspaceSearch {
  constructor(private readonly excludes: readonly string[]) {}

  async findFiles(root: string, glob: string, maxResults: number, signal?: AbortSignal): Promise<FileSearchResult> {
    const workspace = await openWorkspace(root);
    const { globMatcher } = await import('./exclusions');
    const matches = globMatcher(glob);
    const files: string[] = [];
    const state: WalkState = { stopped: false };
    for await (const file of walkFiles(workspace, this.excludes, state, signal)) {
      if (!matches(file)) continue;
      if (files.length === maxResults) return { files, truncated: true };
      files.push(file);
    }
    return { files, truncated: state.stopped };
  }

  async searchText(root: string, query: TextSearchQuery, signal?: AbortSignal): Promise<TextSearchResult> {
    const regex = queryRegex(query.pattern, query.isRegex ?? false, query.caseSensitive ?? false);
    const workspace = await openWorkspace(root);
    const { globMatcher } = await import('./exclusions');
    const included = query.include ? globMatcher(query.include) : () => true;
    const matches: TextMatch[] = [];
    const state: WalkState = { stopped: false };
    for await (const file of walkFiles(workspace, this.excludes, state, signal)) {
      if (!included(file)) continue;
      // Binary, too big, gone or a link out since it was listed: not searched, like ripgrep.
      const text = await textInside(workspace, file, MAX_SEARCHED_FILE_BYTES);
      if (text === undefined) continue;
      const lines = text.split('\n');
      for (let index = 0; index < lines.length; index += 1) {
        const found = regex.exec(lines[index]);
        if (!found) continue;
        if (matches.length === query.maxResults) return { matches, truncated: true };
        const column = found.index + 1;
        matches.push({ path: file, line: index + 1, column, text: cutLine(lines[index], column) });
      }
    }
    return { matches, truncated: state.stopped };
  }
}
