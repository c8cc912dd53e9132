/** How the host reaches its worker. The RPC runs unchanged over either transport. */
import type { HostMessage } from './protocol';

export type TransportKind = 'process' | 'thread';

/** How a worker ended: an exit code, a signal (child process only) or an uncaught error. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
  /** The last lines the worker wrote to stderr, e.g. a C++ `terminate called after …`. */
  stderrTail?: string;
}

export interface HostTransport {
  readonly kind: TransportKind;
  send(message: HostMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Each listener is called once, however the worker ended. */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Ends the worker now; `onExit` still fires. */
  kill(): void;
}

/** Describes an exit for a person: "SIGABRT", "exit code 1", "an uncaught error: …". */
export function describeExit(exit: WorkerExit): string {
  if (exit.signal) return exit.signal;
  if (exit.error) return `an uncaught error: ${exit.error}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}
