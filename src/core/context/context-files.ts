/**
 * Files read for the model, on the extension host: workspace paths and globs (an assistant's
 * always-in-context files, a file attached in the chat), with binary files refused and large
 * ones cut, each said in a note the user and the model see. Every one stays inside the
 * workspace's real path (readTextFile).
 */
import { readdir, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { ConfinedFolder } from '../store/confined-folder';
import { isStoreError } from '../store/errors';
import { READ_FLAGS } from '../store/json-file';
import { contextBlock, fitToTokens, type ContextItem, type TokenCounter } from './context-item';
import type { ContextRules } from '../assistant-config';

/** Bytes read of one file at most: a larger file is cut (the token cap cuts further). */
export const MAX_FILE_BYTES = 512 * 1024;
/** Folders a glob never walks into: generated, vendored or Jan's own. */
const SKIPPED_FOLDERS = new Set([
  '.git',
  'node_modules',
  '.jan',
  'dist',
  'out',
  'build',
  '.venv',
  '__pycache__',
  'target',
]);
const MAX_WALKED_ENTRIES = 20_000;
const MAX_GLOB_MATCHES = 200;

export type FileRead = { status: 'ok'; text: string; note?: string } | { status: 'skipped'; reason: string };

/** A path inside `root` for a workspace-relative `file` (by its text), or undefined when it would leave it. */
export function insideRoot(root: string, file: string): string | undefined {
  const resolved = path.resolve(root, file);
  const relative = path.relative(root, resolved);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? resolved : undefined;
}

/** Why a file could not be opened, in the words of a context item's note. */
function openFailure(error: unknown): string {
  if (isStoreError(error, 'NOT_ALLOWED')) return 'outside the workspace (a symbolic link on its way leads out of it)';
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'not found';
  return `cannot be read (${code ?? 'error'})`;
}

/**
 * Reads at most `maxBytes` of `file`, a path inside `root`: the file is opened through its folder
 * as checked inside the workspace's real path (src/core/store/confined-folder.ts), so no link
 * (even one swapped in meanwhile) can make it read something outside; only a regular file is read
 * (a FIFO would wait for a writer forever), and a NUL byte anywhere in what was read means a
 * binary file, which is not sent.
 */
export async function readTextFile(root: string, file: string, maxBytes = MAX_FILE_BYTES): Promise<FileRead> {
  let handle: FileHandle;
  try {
    handle = await new ConfinedFolder(root, { what: 'the workspace', rootAnywhere: true }).openFile(file, READ_FLAGS);
  } catch (error) {
    return { status: 'skipped', reason: openFailure(error) };
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return { status: 'skipped', reason: 'a folder' };
    if (!stats.isFile()) return { status: 'skipped', reason: 'not a regular file' };
    const size = stats.size;
    const buffer = Buffer.alloc(Math.min(size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.includes(0))
      return { status: 'skipped', reason: `a binary file (${formatBytes(size)}); only text files can be attached` };
    // A cut in the middle of a UTF-8 sequence leaves one replacement character at the end: dropped.
    const text = bytes.toString('utf8').replace(/\uFFFD$/, '');
    return size > maxBytes
      ? { status: 'ok', text, note: `only the first ${formatBytes(maxBytes)} of ${formatBytes(size)} were read` }
      : { status: 'ok', text };
  } finally {
    await handle.close();
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function isGlob(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

/** The workspace's files, workspace-relative with `/`, in a stable order, skipping generated and vendored folders. */
export async function walkFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  let walked = 0;
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(path.join(root, folder), { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (++walked > MAX_WALKED_ENTRIES) return;
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) await walk(relative);
      else if (entry.isFile()) files.push(relative);
    }
  };
  await walk('');
  return files;
}

/** Workspace files for the paths and globs, pattern by pattern in the order given, each once. */
export async function expandPatterns(root: string, patterns: string[]): Promise<string[]> {
  const all = patterns.some(isGlob) ? await walkFiles(root) : [];
  const files = new Set<string>();
  for (const pattern of patterns) {
    if (isGlob(pattern)) {
      const glob = pattern.replace(/^\.\//, '');
      for (const file of all) if (files.size < MAX_GLOB_MATCHES && path.matchesGlob(file, glob)) files.add(file);
    } else if (insideRoot(root, pattern)) {
      files.add(path.normalize(pattern).split(path.sep).join('/'));
    }
  }
  return [...files];
}

/** A workspace file as a context item, cut to `tokenCap`; a file that cannot be used says why. */
export async function fileContext(
  root: string,
  relative: string,
  tokenCap: number,
  count: TokenCounter,
): Promise<ContextItem> {
  const file = insideRoot(root, relative);
  const read: FileRead = file ? await readTextFile(root, file) : { status: 'skipped', reason: 'outside the workspace' };
  if (read.status === 'skipped')
    return { kind: 'file', label: relative, text: '', tokens: 0, note: `not attached: ${read.reason}` };
  const fitted = await fitToTokens(read.text, tokenCap, count);
  const notes = [read.note, fitted.cut ? `cut to ${tokenCap.toLocaleString('en-US')} tokens` : undefined].filter(
    Boolean,
  );
  return {
    kind: 'file',
    label: relative,
    text: fitted.text,
    tokens: fitted.tokens,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** An assistant's always-in-context files, together within its token cap (the first files first). */
export async function alwaysInContext(root: string, rules: ContextRules, count: TokenCounter): Promise<ContextItem[]> {
  const items: ContextItem[] = [];
  let left = rules.tokenCap;
  for (const relative of await expandPatterns(root, rules.files)) {
    if (left <= 0) break;
    const item = await fileContext(root, relative, left, count);
    if (!item.text) continue;
    items.push(item);
    left -= item.tokens;
  }
  return items;
}

/** The always-in-context files as the text added to the system message. */
export function alwaysInContextText(items: ContextItem[]): string {
  if (items.length === 0) return '';
  return ['Project files that are always in context:', ...items.map(contextBlock)].join('\n\n');
}
