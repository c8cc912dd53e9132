import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { HostMessage } from './protocol';
import { TextTail } from './stderr-tail';
import type { HostTransport, WorkerExit } from './transport';

/**
 * The default transport: the worker in a forked child process with an IPC channel. A native
 * abort in llama.cpp (std::terminate → SIGABRT) then ends only the child; the extension host
 * and every other extension keep running.
 */
export class ProcessTransport implements HostTransport {
  readonly kind = 'process';
  private readonly child: ChildProcess;
  private readonly stderr = new TextTail();
  private readonly exitListeners: Array<(exit: WorkerExit) => void> = [];
  private exited: WorkerExit | undefined;
  private spawnError: string | undefined;

  constructor(workerPath: string, onOutput: (text: string) => void) {
    // No inherited execArgv: a debugger or test-runner loader flag of the host must not leak in.
    this.child = fork(workerPath, [], {
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => onOutput(text));
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderr.push(text);
      onOutput(text);
    });
    this.child.on('error', (error) => {
      this.spawnError = error.message;
    });
    // 'close' (not 'exit') so that the stderr written just before a crash has been read.
    this.child.on('close', (code, signal) => this.finish({ code, signal, error: this.spawnError }));
  }

  send(message: HostMessage): void {
    if (!this.child.connected) return;
    this.child.send(message);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.child.on('message', listener);
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    this.exitListeners.push(listener);
    if (this.exited) listener(this.exited);
  }

  kill(): void {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    // A worker stuck inside native code may not act on SIGTERM; it must still go.
    setTimeout(() => this.exited || this.child.kill('SIGKILL'), 3000).unref();
  }

  private finish(exit: WorkerExit): void {
    if (this.exited) return;
    const tail = this.stderr.toString();
    this.exited = tail ? { ...exit, stderrTail: tail } : exit;
    for (const listener of this.exitListeners) listener(this.exited);
  }
}
