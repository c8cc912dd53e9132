import * as vscode from 'vscode';
import type { InlineCompletionService } from '@jan/core';
import { completionSettingValues } from '../settings';

/** Resolves after `ms`, or early with false when the user typed on (the token was cancelled). */
function settle(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  if (ms === 0) return Promise.resolve(!token.isCancellationRequested);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(!token.isCancellationRequested);
    }, ms);
    const subscription = token.onCancellationRequested(() => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(false);
    });
  });
}

/**
 * Ghost text from the completion model (src/core/completion/inline-completion.ts does the work):
 * a cached suggestion at once, otherwise after a pause in typing; the next keystroke cancels
 * the request and the engine stops generating.
 */
export class JanInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly completion: InlineCompletionService) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    // Bounded: a workspace may set these (setting-bounds.ts).
    const settings = completionSettingValues();
    if (!settings.enabled) return undefined;
    const request = await this.completion.request(
      { lineCount: document.lineCount, languageId: document.languageId, lineText: (line) => document.lineAt(line).text },
      position.line,
      position.character,
    );
    if (!request || token.isCancellationRequested) return undefined;
    if (request.cached !== undefined) return [item(request.cached, position)];

    const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
    if (automatic && !(await settle(settings.debounceMs, token))) return undefined;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const text = await this.completion.complete(request, settings.maxTokens, controller.signal);
      return text === undefined || token.isCancellationRequested ? undefined : [item(text, position)];
    } finally {
      subscription.dispose();
    }
  }
}

function item(text: string, position: vscode.Position): vscode.InlineCompletionItem {
  return new vscode.InlineCompletionItem(text, new vscode.Range(position, position));
}

export function registerInlineCompletion(completion: InlineCompletionService): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, new JanInlineCompletionProvider(completion)),
    vscode.commands.registerCommand('jan.toggleInlineCompletion', async () => {
      const config = vscode.workspace.getConfiguration('jan.inlineCompletion');
      const enabled = !config.get<boolean>('enabled', true);
      await config.update('enabled', enabled, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(`Jan inline completion ${enabled ? 'on' : 'off'}`, 3000);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('jan.completionModel')) completion.clearCache();
    }),
  );
}
