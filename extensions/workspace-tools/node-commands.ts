/**
 * CommandRunner as a child process: a shell in its own process group (so a timeout or Stop kills
 * what the command started too), no stdin (a prompt gets end-of-file instead of hanging), pagers
 * off, output kept capped. A command that floods output is killed once it passes a limit far
 * above what is kept, rather than running until the timeout.
 */
import { spawn } from 'node:child_process';
import type { CommandOutcome, CommandRequest, CommandRunner } from './commands';
import { OutputCap } from './output-cap';

/** Output past which a command is stopped: nothing more of it would be shown. */
export const FLOOD_BYTES = 64 * 1024 * 1024;

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export class NodeCommandRunner implements CommandRunner {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  run(request: CommandRequest): Promise<CommandOutcome> {
    return new Promise((resolve) => {
      const cap = new OutputCap(request.maxOutputBytes);
      let killed: CommandOutcome['killed'];
      const child = spawn(request.command, {
        cwd: request.cwd,
        shell: true,
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        env: { ...this.env, PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', TERM: 'dumb', NO_COLOR: '1' },
      });
      const kill = (why: NonNullable<CommandOutcome['killed']>): void => {
        killed ??= why;
        killTree(child.pid);
      };
      const onAbort = (): void => kill('stopped');
      const timer = setTimeout(() => kill('timeout'), request.timeoutMs);
      request.signal.addEventListener('abort', onAbort, { once: true });
      if (request.signal.aborted) onAbort();
      const onData = (chunk: Buffer): void => {
        cap.push(chunk);
        if (cap.total > FLOOD_BYTES) kill('flood');
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const finish = (exitCode: number | null, spawnError?: Error): void => {
        clearTimeout(timer);
        request.signal.removeEventListener('abort', onAbort);
        const output = spawnError ? `Could not start the command: ${spawnError.message}` : cap.text();
        resolve({ exitCode, output, outputBytes: cap.total, ...(killed ? { killed } : {}) });
      };
      child.once('error', (error) => finish(null, error));
      child.once('close', (code) => finish(killed ? null : code));
    });
  }
}
