/**
 * A server's message too big to take (a tool that returns 50 MB) is dropped while it streams,
 * keeping only its first and last kilobyte, and answered in its place with a JSON-RPC error for
 * the same request id: the call fails at once with a clear message and the server stays usable.
 * Shared by the stdio transport (per line) and the HTTP fetch (per body or SSE event).
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Bytes of one message from a server, by default: far above any tool result the model can read. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const KEPT = 1024;
/** JSON-RPC's "internal error": the request was made but its answer cannot be used. */
const INTERNAL_ERROR = -32603;

export function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Collects the first and last KB of an oversized message as it streams by. */
export class OversizeTracker {
  private head = '';
  private tail = Buffer.alloc(0);
  bytes = 0;

  push(chunk: Buffer): void {
    if (this.head.length < KEPT) this.head += chunk.subarray(0, KEPT).toString('utf8');
    this.tail = Buffer.concat([this.tail, chunk.subarray(Math.max(0, chunk.length - KEPT))]);
    if (this.tail.length > KEPT) this.tail = this.tail.subarray(this.tail.length - KEPT);
    this.bytes += chunk.length;
  }

  /** The request id the message answered, from its start or its end (JSON key order varies). */
  requestId(): string | number | undefined {
    for (const text of [this.head, this.tail.toString('utf8')]) {
      const found = /"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")/.exec(text);
      if (found) return JSON.parse(found[1]) as string | number;
    }
    return undefined;
  }

  /** The error answer to deliver instead, or undefined when no request id could be found. */
  replacement(limit: number): JSONRPCMessage | undefined {
    const id = this.requestId();
    if (id === undefined) return undefined;
    return {
      jsonrpc: '2.0',
      id,
      error: {
        code: INTERNAL_ERROR,
        message: `The server's answer was ${formatSize(this.bytes)} or more, over the ${formatSize(limit)} Jan accepts; it was dropped.`,
      },
    };
  }
}
