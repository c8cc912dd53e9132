import * as vscode from 'vscode';
import type { JanHost } from '../host';

/** Registers export and import of threads; their code loads when one first runs. */
export function registerPortability(host: JanHost): void {
  const { runtime, context } = host;
  context.subscriptions.push(
    vscode.commands.registerCommand('jan.exportThread', async (threadId?: unknown) =>
      (await import('./commands')).exportThreadCommand(runtime, typeof threadId === 'string' ? threadId : undefined),
    ),
    vscode.commands.registerCommand('jan.exportJanData', async () =>
      (await import('./commands')).exportJanDataCommand(runtime),
    ),
    vscode.commands.registerCommand('jan.importJanData', async () =>
      (await import('./commands')).importJanDataCommand(runtime),
    ),
  );
}
