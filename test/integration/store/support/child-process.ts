import { fork } from 'node:child_process';
import type { ChildProcess, ForkOptions } from 'node:child_process';
import type { ChildReport } from './store-child';

/** A store child process and the reports it sent, in order. */
export interface StoreChild {
  process: ChildProcess;
  reports: ChildReport[];
  stderr: () => string;
  /** Resolves once a report matching `predicate` has arrived (or rejects if the child exits first). */
  waitFor(predicate: (report: ChildReport) => boolean): Promise<ChildReport>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(bundle: string, args: string[], options: ForkOptions = {}): StoreChild {
  const child = fork(bundle, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], ...options });
  const reports: ChildReport[] = [];
  const waiters: Array<{ predicate: (report: ChildReport) => boolean; resolve: (report: ChildReport) => void }> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('message', (report: ChildReport) => {
    reports.push(report);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(report)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(report);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    reports,
    stderr: () => stderr,
    exited,
    waitFor(predicate) {
      const seen = reports.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`child exited (${code ?? signal}) before the awaited report; stderr: ${stderr}`)),
        );
      });
    },
  };
}
