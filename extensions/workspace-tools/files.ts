/**
 * The port the tools read and write workspace files through. The Node implementation
 * (node-files.ts) works on disk; the VS Code side gives one that sees unsaved editor text and
 * applies a write as one undoable WorkspaceEdit. Both refuse a write made from a version of the
 * file that is no longer current: the user typing while the agent edits loses nothing.
 */
import type { LineRange } from './text-file';

export interface FileSnapshot {
  /** Workspace-relative with `/`. */
  path: string;
  text: string;
  /** Opaque; a write names it so a file changed since is reported as a conflict. */
  version: string;
}

export interface FileWrite {
  path: string;
  text: string;
  /** The version `text` was made from; null for a new file (refused when the file exists). */
  base: string | null;
}

export interface WorkspaceFiles {
  /** The whole text (bounded; binary files refused). */
  read(root: string, path: string): Promise<FileSnapshot>;
  /** Lines `first`..`last` (1-based), at most `maxBytes` of them, without reading the rest of a big file. */
  readLines(root: string, path: string, first: number, last: number, maxBytes: number): Promise<LineRange>;
  /**
   * Writes one file whole, atomically; a conflict or a path outside the workspace is a
   * WorkspaceFileError. Returns the workspace-relative path written.
   */
  write(root: string, write: FileWrite): Promise<{ path: string }>;
}

/** Files bigger than this are not read whole (and so not edited): read a range of lines instead. */
export const MAX_WHOLE_FILE_BYTES = 4 * 1024 * 1024;
