/**
 * The port `run_command` runs through. The Node implementation (node-commands.ts) is a child
 * process; the VS Code side replaces it with a terminal the user can watch. Either way the
 * output comes back capped and the command ends at the timeout or when the turn is stopped.
 */

export interface CommandRequest {
  command: string;
  /** Absolute folder inside the workspace, already checked. */
  cwd: string;
  timeoutMs: number;
  /** Output kept for the model: the start and the end, the middle cut. */
  maxOutputBytes: number;
  signal: AbortSignal;
}

export interface CommandOutcome {
  /** null when the command was killed. */
  exitCode: number | null;
  /** The output kept, with a line where the middle was cut. */
  output: string;
  /** Bytes the command wrote in all. */
  outputBytes: number;
  /** Why it was killed, if it was. */
  killed?: 'timeout' | 'stopped' | 'flood';
}

export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandOutcome>;
}
