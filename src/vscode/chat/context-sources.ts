import * as vscode from 'vscode';
import {
  ATTACHMENT_TOKEN_CAP,
  codebaseContext,
  estimateTokens,
  fileContext,
  fuzzyRank,
  type ContextItem,
  type SymbolProvider,
  type TokenCounter,
  type WorkspaceSearch,
} from '@jan/core';
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

/**
 * `@` files of the workspace (searched, or dropped from the explorer): read here on the extension
 * host, never in the webview; `@codebase`, searched for the message it is sent with. The editor's
 * other sources are registered ones (editor-context.ts).
 */
export class EditorContextSources implements ContextSources {
  private files: { at: number; list: Promise<string[]> } | undefined;

  /** `finders`: the agent tools' search and symbols, which `@codebase` ranks with. */
  constructor(private readonly finders: { search: WorkspaceSearch; symbols: SymbolProvider }) {}

  codebase(question: string): Promise<ContextItem> {
    return codebaseContext(question, { root: workspaceRoot(), ...this.finders }, count);
  }

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
    }
  }
}
