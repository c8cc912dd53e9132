import type * as vscode from 'vscode';
import type { JanRuntime } from '../node/runtime';

/** What every VS Code feature module is given at activation: the runtime and the editor's handles. */
export interface JanHost {
  runtime: JanRuntime;
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
}
