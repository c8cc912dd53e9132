/**
 * `@codebase`: the places in the workspace that answer a question, for a chat outside agent
 * mode. The question's terms (quoted phrases, identifiers, then plain words without stop words)
 * are searched as text and as symbol names; files are ranked by how many of the terms they hold,
 * rarer terms weighing more, with a bonus where a term names a symbol defined there or the
 * file's path. Each file gives its best line: the one holding most terms, a definition first.
 */
import type { SymbolLocation, SymbolProvider, TextMatch, WorkspaceSearch } from './workspace-search';

export interface CodebaseHit {
  path: string;
  line: number;
  text: string;
  score: number;
  /** The question's terms found in the file. */
  terms: string[];
  /** Lines of the file that matched, in order (the best one included). */
  lines: number[];
}

export interface CodebaseSearchOptions {
  root: string;
  search: WorkspaceSearch;
  symbols?: SymbolProvider;
  maxResults?: number;
  signal?: AbortSignal;
}

interface Term {
  text: string;
  /** Quoted text and identifiers (`maxTokens`, `read_file`) weigh more than plain words. */
  weight: number;
}

const STOP_WORDS = new Set(
  (
    'the and for are but not you all any can had her was one our out has him his how its may new now old see two way who ' +
    'did get let put say she too use that with have this will your from they know want been good much some time very when ' +
    'come here just like long make many more only over such take than them well were what where which while would there ' +
    'their these those then into about after again also does done each find from give goes being could should shown show ' +
    'tell used uses using call called calls read reads file files code function functions method methods class classes ' +
    'defined define set sets value values work works happen happens thing things please need needs why'
  ).split(' '),
);

const MAX_TERMS = 6;
const MATCHES_PER_TERM = 300;
const SYMBOLS_PER_TERM = 20;

const isIdentifier = (word: string): boolean => /[a-z][A-Z]|_|\d|^[A-Z]{2,}$/.test(word);

/** A plain English word reduced so its forms match too (`settings` finds `setting`). */
const stem = (word: string): string => (word.length > 4 && /[^s]s$/.test(word) ? word.slice(0, -1) : word);

export function questionTerms(question: string): Term[] {
  const terms: Term[] = [];
  const seen = new Set<string>();
  const add = (text: string, weight: number): void => {
    const key = text.toLowerCase();
    if (key.length < 3 || seen.has(key)) return;
    seen.add(key);
    terms.push({ text, weight });
  };
  const unquoted = question.replace(/(["'`])([^"'`]{2,80})\1/g, (_all, _quote, phrase: string) => {
    add(phrase.trim(), 2);
    return ' ';
  });
  const words = unquoted.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? [];
  for (const word of words) if (isIdentifier(word)) add(word, 1.5);
  for (const word of words) if (!isIdentifier(word) && !STOP_WORDS.has(word.toLowerCase())) add(stem(word), 1);
  return terms.slice(0, MAX_TERMS);
}

interface FileScore {
  path: string;
  byTerm: Map<string, TextMatch[]>;
  definitions: SymbolLocation[];
}

export async function codebaseSearch(question: string, options: CodebaseSearchOptions): Promise<CodebaseHit[]> {
  const terms = questionTerms(question);
  if (terms.length === 0) return [];
  const { root, search, symbols, signal } = options;
  const found = await Promise.all(
    terms.map(async (term) => ({
      term,
      text: await search.searchText(root, { pattern: term.text, maxResults: MATCHES_PER_TERM }, signal),
      symbols: symbols ? await symbols.workspaceSymbols(root, term.text, SYMBOLS_PER_TERM, signal) : [],
    })),
  );
  const files = new Map<string, FileScore>();
  const fileOf = (path: string): FileScore => {
    let file = files.get(path);
    if (!file) files.set(path, (file = { path, byTerm: new Map(), definitions: [] }));
    return file;
  };
  const rarity = new Map<string, number>();
  for (const { term, text, symbols: defined } of found) {
    for (const match of text.matches) {
      const file = fileOf(match.path);
      file.byTerm.set(term.text, [...(file.byTerm.get(term.text) ?? []), match]);
    }
    for (const symbol of defined) fileOf(symbol.path).definitions.push(symbol);
    const holding = new Set(text.matches.map((match) => match.path)).size;
    // A capped search means a common term: it counts as found in many files.
    rarity.set(term.text, Math.log(1 + 50 / Math.max(1, text.truncated ? Math.max(holding, 50) : holding)));
  }
  const hits = [...files.values()].map((file) => rank(file, terms, rarity));
  return hits
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1))
    .slice(0, options.maxResults ?? 8);
}

function rank(file: FileScore, terms: Term[], rarity: Map<string, number>): CodebaseHit {
  let score = 0;
  const matchedTerms: string[] = [];
  const lower = file.path.toLowerCase();
  for (const term of terms) {
    const weight = term.weight * (rarity.get(term.text) ?? 0);
    const matches = file.byTerm.get(term.text) ?? [];
    const defines = file.definitions.some((symbol) => symbol.name.toLowerCase().includes(term.text.toLowerCase()));
    if (matches.length > 0) score += weight * (1 + 0.25 * Math.log2(Math.min(matches.length, 16)));
    if (defines) score += weight * 1.5;
    if (lower.includes(term.text.toLowerCase())) score += weight * 0.5;
    if (matches.length > 0 || defines) matchedTerms.push(term.text);
  }
  score *= 0.5 + (0.5 * matchedTerms.length) / terms.length;
  const best = bestLine(file);
  return { path: file.path, ...best, score, terms: matchedTerms };
}

function bestLine(file: FileScore): { line: number; text: string; lines: number[] } {
  const byLine = new Map<number, { text: string; terms: number }>();
  for (const matches of file.byTerm.values())
    for (const match of matches) {
      const entry = byLine.get(match.line) ?? { text: match.text, terms: 0 };
      entry.terms += 1;
      byLine.set(match.line, entry);
    }
  const definitionLines = new Set(file.definitions.map((symbol) => symbol.line));
  for (const symbol of file.definitions)
    if (!byLine.has(symbol.line)) byLine.set(symbol.line, { text: symbol.text, terms: 0 });
  const ordered = [...byLine.entries()].sort(
    ([lineA, a], [lineB, b]) =>
      b.terms - a.terms || Number(definitionLines.has(lineB)) - Number(definitionLines.has(lineA)) || lineA - lineB,
  );
  const [line, entry] = ordered[0] ?? [1, { text: '' }];
  return { line, text: entry.text.trim(), lines: [...byLine.keys()].sort((a, b) => a - b) };
}

/** The hits as context for the model: one `path:line: text` line each, best first. */
export function codebaseContextText(question: string, hits: CodebaseHit[]): string {
  if (hits.length === 0) return `No code in the workspace matched: ${question}`;
  return [
    `Code in the workspace matching: ${question}`,
    ...hits.map((hit) => `${hit.path}:${hit.line}: ${hit.text}`),
  ].join('\n');
}
