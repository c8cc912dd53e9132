/**
 * The stdio transport for the SDK's Client, written for servers that misbehave (the SDK's own
 * concatenates its whole buffer per chunk and closes the server on a message over 10 MB):
 * - messages are split on newlines from a list of chunks, so a big one costs linear time;
 * - one over the limit is dropped as it streams and answered with an error (oversize.ts);
 * - a line that is not JSON-RPC is handed to `onGarbage` (the connection decides when it is too much);
 * - stderr is kept (the last lines) for the error shown when the server dies;
 * - the server runs in its own process group, and closing kills the group, grandchildren too.
 */
import type { ChildProcess } from 'node:child_process';
import spawn from 'cross-spawn';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { OversizeTracker } from './oversize';

export interface StdioServerParams {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  maxMessageBytes: number;
  /** A line on stdout that is not a JSON-RPC message (a banner, a log line, garbage). */
  onGarbage(line: string): void;
  /** A message over the limit with no request id to answer: dropped. */
  onDropped(bytes: number): void;
}

const STDERR_KEPT = 8 * 1024;
/** How long a server gets to exit after stdin closes and SIGTERM, before SIGKILL. */
const EXIT_GRACE_MS = 2000;

export class CappedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private parts: Buffer[] = [];
  private partBytes = 0;
  private oversize: OversizeTracker | undefined;
  private stderrText = '';
  /** How the process ended, once it has. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly params: StdioServerParams) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The end of what the server wrote to stderr. */
  get stderr(): string {
    return this.stderrText;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.params.command, this.params.args, {
        env: this.params.env,
        cwd: this.params.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
      this.child = child;
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      child.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => this.read(chunk));
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        this.stderrText = (this.stderrText + chunk).slice(-STDERR_KEPT);
      });
    });
  }

  private read(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, newline));
      this.line();
      start = newline + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (!this.oversize && this.partBytes + piece.length > this.params.maxMessageBytes) {
      this.oversize = new OversizeTracker();
      for (const part of this.parts) this.oversize.push(part);
      this.parts = [];
      this.partBytes = 0;
    }
    if (this.oversize) this.oversize.push(piece);
    else {
      this.parts.push(piece);
      this.partBytes += piece.length;
    }
  }

  private line(): void {
    const oversize = this.oversize;
    const text = oversize ? '' : Buffer.concat(this.parts).toString('utf8').replace(/\r$/, '');
    this.parts = [];
    this.partBytes = 0;
    this.oversize = undefined;
    if (oversize) {
      const replacement = oversize.replacement(this.params.maxMessageBytes);
      if (replacement) this.onmessage?.(replacement);
      else this.params.onDropped(oversize.bytes);
      return;
    }
    if (text.trim() === '') return;
    let message: JSONRPCMessage | undefined;
    try {
      const parsed = JSONRPCMessageSchema.safeParse(JSON.parse(text));
      if (parsed.success) message = parsed.data;
    } catch {
      message = undefined;
    }
    if (message) this.onmessage?.(message);
    else this.params.onGarbage(text);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error('The server is not running.'));
    return new Promise((resolve, reject) => {
      const written = stdin.write(`${JSON.stringify(message)}\n`, (error) => {
        if (error) reject(error);
      });
      if (written) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /**
   * MCP's shutdown: close stdin and let the server exit; SIGTERM if it has not shortly after,
   * SIGKILL after a grace period. Then the group is killed, for whatever the server left running.
   */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const exited = (ms: number) => Promise.race([closed.then(() => true), delay(ms).then(() => false)]);
    child.stdin?.end();
    if (!(await exited(EXIT_GRACE_MS / 4))) {
      killGroup(child, 'SIGTERM');
      if (!(await exited(EXIT_GRACE_MS))) killGroup(child, 'SIGKILL');
      await closed;
    }
    killGroup(child, 'SIGKILL');
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32')
      spawn.sync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
