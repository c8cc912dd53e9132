import type { CompletionDocument } from './inline-completion';

/** Lines in a chunk; chunks start at multiples of half of it, so nearby edits land in the same chunk. */
const CHUNK_LINES = 32;
const CAPACITY = 8;

interface Chunk {
  file: string;
  start: number;
  text: string;
}

/**
 * Recent code from other files for inline completion (what makes a small local model useful:
 * Continue and llama.vscode do the same): a ring of chunks from recently edited, opened and
 * copied-from files. They go before the prefix in the order they arrived, and a chunk of a spot
 * seen again is updated in place, so the start of the prompt stays the same from one request to
 * the next and stays in the engine's KV cache.
 */
export class ContextChunks {
  private readonly chunks: Chunk[] = [];

  constructor(private readonly capacity = CAPACITY) {}

  /** Takes in the lines around `line` of `file` (a workspace-relative path, for the model to read). */
  add(file: string, document: CompletionDocument, line: number): void {
    const half = CHUNK_LINES / 2;
    const start = Math.floor(Math.max(0, line - half) / half) * half;
    const end = Math.min(document.lineCount, start + CHUNK_LINES);
    const lines: string[] = [];
    for (let index = start; index < end; index++) lines.push(document.lineText(index));
    const text = lines.join('\n');
    if (!text.trim()) return;
    const same = this.chunks.find((chunk) => chunk.file === file && Math.abs(chunk.start - start) < CHUNK_LINES);
    if (same) {
      same.start = start;
      same.text = text;
      return;
    }
    this.chunks.push({ file, start, text });
    if (this.chunks.length > this.capacity) this.chunks.shift();
  }

  /** The chunks of files other than `current`, oldest first, each under a comment naming its file; undefined when none. */
  text(current: string, commentPrefix = '//'): string | undefined {
    const parts = this.chunks
      .filter((chunk) => chunk.file !== current)
      .map((chunk) => `${commentPrefix} ${chunk.file}\n${chunk.text}\n`);
    return parts.length ? parts.join('\n') : undefined;
  }

  get size(): number {
    return this.chunks.length;
  }
}
