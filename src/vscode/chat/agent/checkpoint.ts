import type { FileChange } from '@jan/core';

/** A relative path that stays inside the folder it is relative to (no drive, no root, no `..`). */
function isWorkspaceRelative(path: string): boolean {
  return path !== '' && !/^([A-Za-z]:|[\\/])/.test(path) && !path.split(/[\\/]/).includes('..') && !path.includes('\0');
}

/** A file to put back: `text` (null: delete it) only if it still reads `expected` (null: absent). */
export interface RestoreFile {
  path: string;
  text: string | null;
  expected: string | null;
}

/**
 * The files one agent turn changed: for each, the text before the turn's first change and after
 * its last. Reverting restores the "before" of every file the user has not changed since.
 */
export class Checkpoint {
  private readonly files = new Map<string, { before: string | null; after: string | null }>();

  add(changes: readonly FileChange[]): void {
    for (const change of changes) {
      // A tool (another extension's) naming a place outside the workspace never gets it reverted.
      if (!isWorkspaceRelative(change.path)) continue;
      const known = this.files.get(change.path);
      this.files.set(change.path, { before: known ? known.before : change.before, after: change.after });
    }
  }

  get paths(): string[] {
    return [...this.files.keys()];
  }

  /** Each file's change over the whole turn, for the diffs shown after it. */
  changes(): FileChange[] {
    return [...this.files].map(([path, file]) => ({ path, before: file.before, after: file.after }));
  }

  /** What reverting writes, files whose text the turn left as it found it left out. */
  restores(): RestoreFile[] {
    return [...this.files]
      .filter(([, file]) => file.before !== file.after)
      .map(([path, file]) => ({ path, text: file.before, expected: file.after }));
  }
}

/**
 * Which restores can be written: a file whose current text (`read`: null when absent) is no
 * longer what the turn left was changed by the user since, and is left alone as a conflict.
 */
export async function planRestore(
  files: readonly RestoreFile[],
  read: (path: string) => Promise<string | null>,
): Promise<{ writes: RestoreFile[]; conflicts: string[] }> {
  const writes: RestoreFile[] = [];
  const conflicts: string[] = [];
  for (const file of files) {
    if ((await read(file.path)) === file.expected) writes.push(file);
    else conflicts.push(file.path);
  }
  return { writes, conflicts };
}
