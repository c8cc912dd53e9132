import * as vscode from 'vscode';
import type { SelectionInput } from '@jan/core';

/** The selected code and where it is; undefined when nothing but whitespace is selected. */
export function selectionInput(editor: vscode.TextEditor): SelectionInput | undefined {
  const selection = editor.selection;
  const code = editor.document.getText(selection);
  if (!code.trim()) return undefined;
  return {
    code,
    languageId: editor.document.languageId,
    fileName: vscode.workspace.asRelativePath(editor.document.uri),
    startLine: selection.start.line + 1,
    endLine: selection.end.line + 1,
  };
}
