import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  NodeWorkspaceFiles,
  WorkspaceFileError,
  type FileSnapshot,
  type FileWrite,
  type LineRange,
  type WorkspaceFiles,
} from '../../../extensions/workspace-tools';

/**
 * The agent's files as the user sees them: a file open with unsaved changes is read from its
 * editor, and a write to an open file is one WorkspaceEdit (Ctrl+Z undoes it) made only if the
 * editor still holds the text the edit was made from; the user's keystrokes since are a conflict,
 * never overwritten. Confinement, binary and size checks are the disk port's (it reads first).
 */
export class EditorFiles implements WorkspaceFiles {
  constructor(private readonly disk: WorkspaceFiles = new NodeWorkspaceFiles()) {}

  async read(root: string, relative: string): Promise<FileSnapshot> {
    const snapshot = await this.disk.read(root, relative);
    const open = openDocument(root, snapshot.path);
    if (!open?.isDirty) return snapshot;
    const text = open.getText();
    return { path: snapshot.path, text, version: editorVersion(text) };
  }

  async readLines(root: string, relative: string, first: number, last: number, maxBytes: number): Promise<LineRange> {
    const range = await this.disk.readLines(root, relative, first, last, maxBytes);
    const open = openDocument(root, range.path);
    return open?.isDirty ? linesOf(range.path, open.getText(), first, last, maxBytes) : range;
  }

  async write(root: string, write: FileWrite): Promise<{ path: string }> {
    if (write.base === null) return this.disk.write(root, write);
    const current = await this.read(root, write.path);
    const document = openDocument(root, current.path);
    if (!document) return this.disk.write(root, { ...write, path: current.path });
    if (current.version !== write.base)
      throw new WorkspaceFileError(
        'conflict',
        `${current.path} changed since it was read; nothing was written.`,
        current.path,
      );
    const wasDirty = document.isDirty;
    const edit = new vscode.WorkspaceEdit();
    const end = document.positionAt(document.getText().length);
    edit.replace(document.uri, new vscode.Range(new vscode.Position(0, 0), end), write.text);
    if (!(await vscode.workspace.applyEdit(edit)))
      throw new WorkspaceFileError('conflict', `The editor refused the edit of ${current.path}.`, current.path);
    // A file the user had saved is saved again (tools and commands read the disk); unsaved work stays unsaved.
    if (!wasDirty) await document.save();
    return { path: current.path };
  }
}

function openDocument(root: string, relative: string): vscode.TextDocument | undefined {
  const target = vscode.Uri.file(path.join(root, relative)).toString();
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === target && !document.isClosed);
}

/** Lines `first`..`last` (1-based) of an editor's text, at most `maxBytes` of them, as the disk port returns them. */
function linesOf(path: string, text: string, first: number, last: number, maxBytes: number): LineRange {
  const all = text.split(/\r?\n/);
  if (all.length > 1 && all.at(-1) === '') all.pop();
  const lines: string[] = [];
  let bytes = 0;
  let cut = false;
  for (let line = first; line <= Math.min(last, all.length); line++) {
    const size = Buffer.byteLength(all[line - 1]!) + 1;
    if (bytes + size > maxBytes && lines.length > 0) {
      cut = true;
      break;
    }
    lines.push(all[line - 1]!);
    bytes += size;
  }
  return { path, first, lines, total: all.length, more: first + lines.length - 1 < all.length, cut };
}

function editorVersion(text: string): string {
  return `editor:${createHash('sha256').update(text).digest('hex')}`;
}
