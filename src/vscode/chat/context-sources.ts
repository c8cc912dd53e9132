import * as vscode from 'vscode';
import {
  ATTACHMENT_TOKEN_CAP,
  contextBlock,
  estimateTokens,
  fencedSelection,
  fileContext,
  fitToTokens,
  fuzzyRank,
  type ContextItem,
  type TokenCounter,
} from '@jan/core';
import { workingChanges } from '../../node/git-diff';
import type { ContextSources, EditorContextSource } from './chat-backend';

const FILE_LIST_LIMIT = 20_000;
const FILE_LIST_TTL_MS = 15_000;
const EXCLUDED = '{**/node_modules/**,**/.git/**,**/.jan/**,**/dist/**,**/out/**}';
const count: TokenCounter = async (text) => estimateTokens(text);

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
  if (!folder) throw new Error('Open a folder to attach its files.');
  return folder.uri.fsPath;
}

async function capped(kind: ContextItem['kind'], label: string, text: string, note?: string): Promise<ContextItem> {
  const fitted = await fitToTokens(text, ATTACHMENT_TOKEN_CAP, count);
  const notes = [note, fitted.cut ? `cut to ${ATTACHMENT_TOKEN_CAP.toLocaleString('en-US')} tokens` : undefined].filter(
    Boolean,
  );
  return { kind, label, text: fitted.text, tokens: fitted.tokens, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

/** `@` attachments from the editor: read here on the extension host, never in the webview. */
export class EditorContextSources implements ContextSources {
  private files: { at: number; list: Promise<string[]> } | undefined;

  /** `editor`: the text editor the user last worked in (focus is in the chat view when they pick). */
  constructor(private readonly editor: () => vscode.TextEditor | undefined) {}

  async searchFiles(query: string): Promise<string[]> {
    const now = Date.now();
    if (!this.files || now - this.files.at > FILE_LIST_TTL_MS) {
      const list = vscode.workspace
        .findFiles('**/*', EXCLUDED, FILE_LIST_LIMIT)
        .then((uris) => uris.map((uri) => vscode.workspace.asRelativePath(uri, false)).sort());
      this.files = { at: now, list: Promise.resolve(list) };
    }
    return fuzzyRank(await this.files.list, query, 50);
  }

  async read(source: EditorContextSource): Promise<ContextItem> {
    switch (source.kind) {
      case 'file':
        return fileContext(workspaceRoot(), source.path, ATTACHMENT_TOKEN_CAP, count);
      case 'uri': {
        const uri = vscode.Uri.parse(source.uri, true);
        const relative = vscode.workspace.asRelativePath(uri, false);
        if (uri.scheme !== 'file' || relative === uri.fsPath)
          throw new Error('Only files of this workspace can be attached.');
        return fileContext(workspaceRoot(), relative, ATTACHMENT_TOKEN_CAP, count);
      }
      case 'selection':
        return this.selection();
      case 'editors':
        return this.openEditors();
      case 'problems':
        return this.problems();
      case 'diff':
        return this.diff();
    }
  }

  private activeEditor(): vscode.TextEditor {
    const editor = this.editor();
    if (!editor) throw new Error('Open a file in the editor first.');
    return editor;
  }

  private async selection(): Promise<ContextItem> {
    const editor = this.activeEditor();
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
    return capped('selection', `Selection in ${path}:${lines}`, text);
  }

  private async openEditors(): Promise<ContextItem> {
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
    return capped(
      'editors',
      `Open editors (${unique.length} file${unique.length === 1 ? '' : 's'})`,
      blocks.join('\n\n'),
    );
  }

  private async problems(): Promise<ContextItem> {
    const editor = this.activeEditor();
    const path = vscode.workspace.asRelativePath(editor.document.uri, false);
    const diagnostics = vscode.languages.getDiagnostics(editor.document.uri);
    if (diagnostics.length === 0) throw new Error(`There are no problems in ${path}.`);
    const severity = ['error', 'warning', 'info', 'hint'];
    const lines = diagnostics.map((diagnostic) => {
      const where = `${path}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
      const line = editor.document.lineAt(diagnostic.range.start.line).text.trim();
      return `${where} ${severity[diagnostic.severity]}: ${diagnostic.message}${diagnostic.source ? ` (${diagnostic.source})` : ''}\n    ${line}`;
    });
    return capped('problems', `Problems in ${path}`, lines.join('\n'));
  }

  private async diff(): Promise<ContextItem> {
    const root = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file')?.uri.fsPath;
    if (!root) throw new Error('Open a folder in a Git repository to attach its working changes.');
    return capped('diff', 'Git diff (working changes)', await workingChanges(root), 'untracked files are not included');
  }
}
