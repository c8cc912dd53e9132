/**
 * Inline chat (Ctrl/Cmd+I): an instruction for the code at the cursor or the selection, typed in
 * VS Code's own input box (it works the same in VS Code 1.90+ and code-server, is themed and
 * read by screen readers, and needs no proposed API, which a zone in the editor would), run as an
 * edit that streams into a diff to accept or reject (edit-run.ts).
 */
import * as vscode from 'vscode';
import { insertionEdit, rewriteEdit, selectionPromptOverride } from '@jan/core';
import type { Assistant, CodeEdit } from '@jan/core';
import { modelSource, runEdit } from './edit-run';
import type { EditRunDeps } from './edit-run';
import { selectionInput } from './selection-input';

export interface InlineChatDeps extends EditRunDeps {
  /** The workspace's default assistant: its Custom Prompt ask comes before the instruction. */
  assistant?: () => Promise<Assistant | undefined>;
}

const TITLE = 'Inline Chat';

/**
 * The command. The box opens with the last instruction selected: typing replaces it, Enter runs
 * it again (a retry after Reject, whose prompt the engine mostly finds in its KV cache).
 */
export function inlineChat(deps: InlineChatDeps): () => Promise<void> {
  let last: string | undefined;
  return () =>
    runInlineChat(deps, last, (instruction) => {
      last = instruction;
    });
}

async function runInlineChat(
  deps: InlineChatDeps,
  last: string | undefined,
  remember: (instruction: string) => void,
): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file, then press Ctrl+I (Cmd+I) where Jan should write.');
    return;
  }
  // The model first: without one, the user learns it before typing an instruction.
  const model = await deps.inference.require('chat');
  const { document, selection } = editor;
  const selected = selectionInput(editor);
  const file = vscode.workspace.asRelativePath(document.uri);
  const where = selected
    ? `Edit lines ${selected.startLine}-${selected.endLine} of ${file}`
    : `Write at line ${selection.active.line + 1} of ${file}`;
  const instruction = await vscode.window.showInputBox({
    title: `Jan: ${where}`,
    prompt: `${modelSource(deps.inference, model)}. The change streams into a diff; Enter accepts it, Escape rejects it.`,
    placeHolder: selected ? 'What should change? e.g. handle an empty list' : 'What should Jan write here?',
    value: last,
    valueSelection: last ? [0, last.length] : undefined,
    ignoreFocusOut: true,
  });
  if (!instruction?.trim()) return;
  remember(instruction);
  let edit: CodeEdit;
  let range: vscode.Range;
  if (selected) {
    const override = selectionPromptOverride(await deps.assistant?.(), 'custom');
    edit = rewriteEdit('custom', { ...selected, instruction }, { override, title: TITLE });
    range = new vscode.Range(selection.start, selection.end);
  } else {
    const line = selection.active.line;
    const inserted = insertionEdit({
      lines: document.getText().split(/\r?\n/),
      line,
      languageId: document.languageId,
      fileName: file,
      instruction,
    });
    edit = inserted.edit;
    const end = document.lineAt(line).text.length;
    range = new vscode.Range(
      new vscode.Position(line, inserted.place.onLine ? 0 : end),
      new vscode.Position(line, end),
    );
  }
  await runEdit(deps, { document, range }, edit, TITLE, model);
}
