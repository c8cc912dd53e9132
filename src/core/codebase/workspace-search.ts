/**
 * The ports behind finding things in a workspace, shared by the agent's tools
 * (extensions/workspace-tools/) and the `@codebase` source (codebase-search.ts). The workspace
 * tools extension gives ripgrep- and Node-backed ones; the VS Code side gives symbols from the
 * language servers.
 */

export interface TextSearchQuery {
  pattern: string;
  /** Otherwise the pattern is literal text. */
  isRegex?: boolean;
  /** Default: case-insensitive. */
  caseSensitive?: boolean;
  /** Only files matching this glob (workspace-relative; without a `/` it matches a name at any depth). */
  include?: string;
  maxResults: number;
}

export interface TextMatch {
  /** Workspace-relative, `/` separators. */
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** The matching line, cut around the match when long. */
  text: string;
}

export interface TextSearchResult {
  matches: TextMatch[];
  /** More matches exist than were returned. */
  truncated: boolean;
}

export interface FileSearchResult {
  files: string[];
  truncated: boolean;
}

/** Files and text of the workspace, with `.gitignore` and the host's excludes left out. */
export interface WorkspaceSearch {
  findFiles(root: string, glob: string, maxResults: number, signal?: AbortSignal): Promise<FileSearchResult>;
  searchText(root: string, query: TextSearchQuery, signal?: AbortSignal): Promise<TextSearchResult>;
}

export type SymbolKind =
  'function' | 'method' | 'class' | 'interface' | 'type' | 'enum' | 'variable' | 'module' | 'reference' | 'other';

export interface SymbolLocation {
  name: string;
  kind: SymbolKind;
  path: string;
  line: number;
  /** The line's text, trimmed. */
  text: string;
  /** The enclosing symbol when the provider knows it. */
  container?: string;
}

/**
 * Symbols by name. VS Code: the language servers (workspace symbols, definitions, references);
 * the CLI and tests: text search (extensions/workspace-tools/text-symbols.ts).
 */
export interface SymbolProvider {
  /** Symbols whose name contains `query` (the provider's own matching). */
  workspaceSymbols(root: string, query: string, maxResults: number, signal?: AbortSignal): Promise<SymbolLocation[]>;
  definitions(root: string, name: string, maxResults: number, signal?: AbortSignal): Promise<SymbolLocation[]>;
  references(root: string, name: string, maxResults: number, signal?: AbortSignal): Promise<SymbolLocation[]>;
}
