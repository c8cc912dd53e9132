import type { SymbolProvider, WorkspaceSearch } from '@jan/core';
import type { CommandRunner } from './commands';
import type { WorkspaceFiles } from './files';
import type { ProblemsProvider } from './problems';

/** Bounds on what one call reads, returns or runs; the agent loop fits the result into the context further. */
export interface ToolLimits {
  /** Lines `read_file` returns per call. */
  readLines: number;
  /** Bytes `read_file` returns per call. */
  readBytes: number;
  /** Default and largest number of files, matches or symbols listed. */
  results: number;
  maxResults: number;
  commandTimeoutSeconds: number;
  maxCommandTimeoutSeconds: number;
  commandOutputBytes: number;
  diffBytes: number;
}

export const DEFAULT_LIMITS: ToolLimits = {
  readLines: 400,
  readBytes: 32 * 1024,
  results: 50,
  maxResults: 200,
  commandTimeoutSeconds: 60,
  maxCommandTimeoutSeconds: 600,
  commandOutputBytes: 32 * 1024,
  diffBytes: 48 * 1024,
};

/** What the tools work through: every part a port, so the VS Code side can give its own. */
export interface ToolEnvironment {
  files: WorkspaceFiles;
  search: WorkspaceSearch;
  symbols: SymbolProvider;
  commands: CommandRunner;
  problems?: ProblemsProvider;
  limits: ToolLimits;
}
