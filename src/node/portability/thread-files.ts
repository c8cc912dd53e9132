import type { DataFolder } from '@jan/core';

/** The lines of a messages.jsonl (its bytes, or none) that parse, as they are (unknown fields and all). */
export function rawMessages(bytes: Buffer | undefined): unknown[] {
  if (!bytes) return [];
  const messages: unknown[] = [];
  for (const line of bytes.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      // A torn or bad line is the store's to keep verbatim; it refers to nothing we can read.
    }
  }
  return messages;
}

/** Every regular file of a thread's folder, read through the store (links and FIFOs are named, never followed). */
export function threadFiles(data: DataFolder, threadId: string) {
  return data.readFolderFiles(data.path('threads', threadId));
}
