import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

/** Leftovers of the store's own writing (locks, temp files) that never belong in a copy. */
export function isStoreScratch(name: string): boolean {
  return name.endsWith('.lock') || name.endsWith('.tmp') || name.includes('.tmp-');
}

export function threadFolder(janFolder: string, threadId: string): string {
  return path.join(janFolder, 'threads', threadId);
}

/** The lines of a messages.jsonl that parse, as they are (unknown fields and all); a missing file is no messages. */
export async function readRawMessages(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const messages: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      // A torn or bad line is the store's to keep verbatim; it refers to nothing we can read.
    }
  }
  return messages;
}
