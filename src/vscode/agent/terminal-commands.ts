import * as vscode from 'vscode';
import {
  NodeCommandRunner,
  type CommandOutcome,
  type CommandRequest,
  type CommandRunner,
} from '../../../extensions/workspace-tools';

/**
 * `run_command` in the editor: the command runs as the tools' child process (own process group,
 * output capped, timeout, Stop kills it) and the user watches it in a "Jan Agent" terminal (a
 * pseudo-terminal that shows the command and its output as it comes).
 */
export class TerminalCommands implements CommandRunner, vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly output = new vscode.EventEmitter<string>();

  constructor(private readonly runner: CommandRunner = new NodeCommandRunner()) {}

  async run(request: CommandRequest): Promise<CommandOutcome> {
    this.show();
    this.write(`\r\n\x1b[1m$ ${request.command}\x1b[0m\r\n`);
    const outcome = await this.runner.run({ ...request, onOutput: (text) => this.write(text) });
    const end = outcome.killed ? `stopped (${outcome.killed})` : `exit code ${outcome.exitCode}`;
    this.write(`\r\n\x1b[2m[${end}]\x1b[0m\r\n`);
    return outcome;
  }

  dispose(): void {
    this.terminal?.dispose();
    this.output.dispose();
  }

  private write(text: string): void {
    this.output.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  private show(): void {
    this.terminal ??= vscode.window.createTerminal({
      name: 'Jan Agent',
      pty: {
        onDidWrite: this.output.event,
        open: () => undefined,
        close: () => (this.terminal = undefined),
      },
    });
    this.terminal.show(true);
  }
}
