import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SymbolKind, SymbolLocation, SymbolProvider } from '@jan/core';

/** Our kind of a `vscode.SymbolKind` (read when asked: the enum is the editor's, not there at load in every host). */
function kindOf(kind: vscode.SymbolKind): SymbolKind {
  const { SymbolKind: Kind } = vscode;
  const kinds: Partial<Record<vscode.SymbolKind, SymbolKind>> = {
    [Kind.Function]: 'function',
    [Kind.Method]: 'method',
    [Kind.Constructor]: 'method',
    [Kind.Class]: 'class',
    [Kind.Interface]: 'interface',
    [Kind.TypeParameter]: 'type',
    [Kind.Struct]: 'class',
    [Kind.Enum]: 'enum',
    [Kind.Variable]: 'variable',
    [Kind.Constant]: 'variable',
    [Kind.Field]: 'variable',
    [Kind.Property]: 'variable',
    [Kind.Module]: 'module',
    [Kind.Namespace]: 'module',
  };
  return kinds[kind] ?? 'other';
}

/**
 * Symbols from the editor's language servers: names through the workspace symbol provider, a
 * definition's references through the reference provider at the name. Where no language server
 * answers (a language without one, a server still starting) the text search (`fallback`) answers.
 */
export class LanguageSymbols implements SymbolProvider {
  constructor(private readonly fallback: SymbolProvider) {}

  async workspaceSymbols(root: string, query: string, maxResults: number, signal?: AbortSignal) {
    const found = await this.symbols(root, query);
    if (found.length === 0) return this.fallback.workspaceSymbols(root, query, maxResults, signal);
    return Promise.all(found.slice(0, maxResults).map((symbol) => located(root, symbol)));
  }

  async definitions(root: string, name: string, maxResults: number, signal?: AbortSignal) {
    const found = (await this.symbols(root, name)).filter((symbol) => symbol.name === name);
    if (found.length === 0) return this.fallback.definitions(root, name, maxResults, signal);
    return Promise.all(found.slice(0, maxResults).map((symbol) => located(root, symbol)));
  }

  async references(root: string, name: string, maxResults: number, signal?: AbortSignal) {
    const definition = (await this.symbols(root, name)).find((symbol) => symbol.name === name);
    const at = definition && (await namePosition(definition, name));
    const found = at
      ? ((await vscode.commands.executeCommand<vscode.Location[] | undefined>(
          'vscode.executeReferenceProvider',
          definition.location.uri,
          at,
        )) ?? [])
      : [];
    const inside = found.filter((location) => relativeIn(root, location.uri) !== undefined);
    if (inside.length === 0) return this.fallback.references(root, name, maxResults, signal);
    return Promise.all(
      inside
        .slice(0, maxResults)
        .map((location) =>
          located(root, { name, kind: vscode.SymbolKind.Null, location, containerName: '' }, 'reference'),
        ),
    );
  }

  private async symbols(root: string, query: string): Promise<vscode.SymbolInformation[]> {
    const found = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>(
      'vscode.executeWorkspaceSymbolProvider',
      query,
    );
    return (found ?? []).filter((symbol) => relativeIn(root, symbol.location.uri) !== undefined);
  }
}

/** Workspace-relative with `/`, or undefined for a place outside the workspace. */
function relativeIn(root: string, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== 'file') return undefined;
  const relative = path.relative(root, uri.fsPath);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

async function lineText(uri: vscode.Uri, line: number): Promise<string> {
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    return document.lineAt(Math.min(line, document.lineCount - 1)).text;
  } catch {
    return '';
  }
}

/** Where the name itself is on the symbol's first line (a reference search must start on it). */
async function namePosition(symbol: vscode.SymbolInformation, name: string): Promise<vscode.Position | undefined> {
  const start = symbol.location.range.start;
  const column = (await lineText(symbol.location.uri, start.line)).indexOf(name, start.character);
  return column < 0 ? undefined : new vscode.Position(start.line, column);
}

async function located(root: string, symbol: vscode.SymbolInformation, kind?: SymbolKind): Promise<SymbolLocation> {
  const line = symbol.location.range.start.line;
  const found: SymbolLocation = {
    name: symbol.name,
    kind: kind ?? kindOf(symbol.kind),
    path: relativeIn(root, symbol.location.uri) ?? '',
    line: line + 1,
    text: (await lineText(symbol.location.uri, line)).trim().slice(0, 300),
  };
  if (symbol.containerName) found.container = symbol.containerName;
  return found;
}
