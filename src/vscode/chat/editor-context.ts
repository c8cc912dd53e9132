import * as vscode from 'vscode';
import { contextBlock, fencedSelection, type ContextContent, type ContextSource } from '@jan/core';
import { workingChanges } from '../../node/git-diff';

/**
 * The editor's own `@` sources (the selection, open editors, problems, the git diff), registered
 * with `registerContextSource` like any extension's (src/vscode/chat/index.ts): the registry caps
 * and checks what they read. `editor` is the text editor the user last worked in (focus is in the
 * chat view when they pick).
 */
export function editorContextSources(editor: () => vscode.TextEditor | undefined): ContextSource[] {
  const activeEditor = (): vscode.TextEditor => {
    const found = editor();
    if (!found) throw new Error('Open a file in the editor first.');
    return found;
  };
  return [
    {
      id: 'selection',
      label: 'Current selection',
      description: 'the code selected in the editor',
      icon: 'list-selection',
      read: async () => selection(activeEditor()),
    },
    {
      id: 'editors',
      label: 'Open editors',
      description: 'every file open in the editor',
      icon: 'files',
      read: openEditors,
    },
    {
      id: 'problems',
      label: 'Problems',
      description: 'errors and warnings in the current file',
      icon: 'warning',
      read: async () => problems(activeEditor()),
    },
    { id: 'diff', label: 'Git diff', description: 'the working changes', icon: 'git-compare', read: diff },
  ];
}

function selection(editor: vscode.TextEditor): ContextContent {
  const selection = editor.selection;
  if (selection.isEmpty) throw new Error('Select some code in the editor first.');
  const path = vscode.workspace.asRelativePath(editor.document.uri, false);
  const endLine =
    selection.end.character === 0 && selection.end.line > selection.start.line
      ? selection.end.line
      : selection.end.line + 1;
  const code = editor.document.getText(selection);
  const text = fencedSelection({
    code,
    languageId: editor.document.languageId,
    path,
    startLine: selection.start.line + 1,
    endLine,
  });
  const lines = selection.start.line + 1 === endLine ? `${endLine}` : `${selection.start.line + 1}-${endLine}`;
  return { label: `Selection in ${path}:${lines}`, text };
}

async function openEditors(): Promise<ContextContent> {
  const uris = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .map((tab) => (tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined))
    .filter((uri): uri is vscode.Uri => uri?.scheme === 'file');
  const unique = [...new Map(uris.map((uri) => [uri.toString(), uri])).values()];
  if (unique.length === 0) throw new Error('No files are open in the editor.');
  const blocks: string[] = [];
  for (const uri of unique) {
    const document = await vscode.workspace.openTextDocument(uri);
    blocks.push(contextBlock({ label: vscode.workspace.asRelativePath(uri, false), text: document.getText() }));
  }
  return { label: `Open editors (${unique.length} file${unique.length === 1 ? '' : 's'})`, text: blocks.join('\n\n') };
}

function problems(editor: vscode.TextEditor): ContextContent {
  const path = vscode.workspace.asRelativePath(editor.document.uri, false);
  const diagnostics = vscode.languages.getDiagnostics(editor.document.uri);
  if (diagnostics.length === 0) throw new Error(`There are no problems in ${path}.`);
  const severity = ['error', 'warning', 'info', 'hint'];
  const lines = diagnostics.map((diagnostic) => {
    const where = `${path}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
    const line = editor.document.lineAt(diagnostic.range.start.line).text.trim();
    return `${where} ${severity[diagnostic.severity]}: ${diagnostic.message}${diagnostic.source ? ` (${diagnostic.source})` : ''}\n    ${line}`;
  });
  return { label: `Problems in ${path}`, text: lines.join('\n') };
}

async function diff(): Promise<ContextContent> {
  const root = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file')?.uri.fsPath;
  if (!root) throw new Error('Open a folder in a Git repository to attach its working changes.');
  return {
    label: 'Git diff (working changes)',
    text: await workingChanges(root),
    note: 'untracked files are not included',
  };
}
