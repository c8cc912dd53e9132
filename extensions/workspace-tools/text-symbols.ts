/**
 * Symbols without a language server (the CLI, the eval, tests): text search for the lines that
 * declare a name in the common languages (JS/TS, Python, Go, Rust, Java/C#/C++, Ruby, PHP).
 * The VS Code side replaces this with `vscode.executeWorkspaceSymbolProvider` and friends. The
 * expressions use only syntax both ripgrep and JavaScript read the same way.
 */
import type { SymbolKind, SymbolLocation, SymbolProvider, WorkspaceSearch } from '@jan/core';

const KEYWORD_KINDS: Array<[string, SymbolKind]> = [
  ['function', 'function'],
  ['def', 'function'],
  ['fn', 'function'],
  ['func', 'function'],
  ['class', 'class'],
  ['struct', 'class'],
  ['trait', 'interface'],
  ['interface', 'interface'],
  ['type', 'type'],
  ['enum', 'enum'],
  ['const', 'variable'],
  ['let', 'variable'],
  ['var', 'variable'],
  ['module', 'module'],
  ['namespace', 'module'],
];

const MODIFIERS =
  '(?:(?:public|private|protected|static|async|export|default|readonly|abstract|override|get|set|pub)\\s+)*';

/** What declares `name` (a regular expression fragment for the name). */
function declaration(name: string): string {
  const keywords = KEYWORD_KINDS.map(([keyword]) => keyword).join('|');
  return [
    `\\b(?:${keywords})\\*?\\s+${name}\\b`,
    // `name = (…) =>`, `name: function`, `name = async function`
    `\\b${name}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*=>|[A-Za-z_$][\\w$]*\\s*=>)`,
    // A method: `  async name(a, b) {` or `name(): T {`
    `^\\s*${MODIFIERS}${name}\\s*\\([^)]*\\)\\s*(?::[^={;]*)?\\{\\s*$`,
  ].join('|');
}

const escapeName = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function kindOf(text: string, name: string): SymbolKind {
  const before = text.slice(0, Math.max(0, text.indexOf(name)));
  const words = before.split(/[^\w]+/).filter(Boolean);
  for (const word of words.reverse()) {
    const kind = KEYWORD_KINDS.find(([keyword]) => keyword === word)?.[1];
    if (kind) return kind;
  }
  return /\(/.test(text.slice(text.indexOf(name))) ? 'method' : 'other';
}

const NOT_NAMES = new Set([
  ...KEYWORD_KINDS.map(([keyword]) => keyword),
  ...'public private protected static async export default readonly abstract override get set pub'.split(' '),
]);

/** The declared name in a line found by a name pattern: the first word it matches that is not a keyword. */
function declaredName(text: string, fragment: string): string {
  for (const found of text.matchAll(new RegExp(fragment, 'gi'))) if (!NOT_NAMES.has(found[0])) return found[0];
  return '';
}

export class TextSymbols implements SymbolProvider {
  constructor(private readonly search: WorkspaceSearch) {}

  private async declarations(
    root: string,
    namePattern: string,
    caseSensitive: boolean,
    max: number,
    signal?: AbortSignal,
  ) {
    const { matches } = await this.search.searchText(
      root,
      { pattern: declaration(namePattern), isRegex: true, caseSensitive, maxResults: max },
      signal,
    );
    return matches;
  }

  async definitions(root: string, name: string, max: number, signal?: AbortSignal): Promise<SymbolLocation[]> {
    const matches = await this.declarations(root, escapeName(name), true, max, signal);
    return matches.map((match) => ({
      name,
      kind: kindOf(match.text, name),
      path: match.path,
      line: match.line,
      text: match.text.trim(),
    }));
  }

  async workspaceSymbols(root: string, query: string, max: number, signal?: AbortSignal): Promise<SymbolLocation[]> {
    const fragment = `[A-Za-z0-9_$]*${escapeName(query)}[A-Za-z0-9_$]*`;
    const matches = await this.declarations(root, fragment, false, max, signal);
    return matches.map((match) => {
      const name = declaredName(match.text, fragment);
      return { name, kind: kindOf(match.text, name), path: match.path, line: match.line, text: match.text.trim() };
    });
  }

  async references(root: string, name: string, max: number, signal?: AbortSignal): Promise<SymbolLocation[]> {
    const { matches } = await this.search.searchText(
      root,
      { pattern: `\\b${escapeName(name)}\\b`, isRegex: true, caseSensitive: true, maxResults: max },
      signal,
    );
    return matches.map((match) => ({
      name,
      kind: 'reference',
      path: match.path,
      line: match.line,
      text: match.text.trim(),
    }));
  }
}
