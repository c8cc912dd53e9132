import * as vscode from 'vscode';
import { activateJan } from './activate';

let deactivateJan: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  deactivateJan = activateJan(context);
}

export async function deactivate(): Promise<void> {
  await deactivateJan?.();
  deactivateJan = undefined;
}
