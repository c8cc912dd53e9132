import * as vscode from 'vscode';
import { InlineSuggestions } from '@jan/core';
import type { CompletionDocument, InlineCompletionService } from '@jan/core';

interface CompletionSettings {
  enabled: boolean;
  debounceMs: number;
  maxTokens: number;
  timeLimitMs: number;
}

function readSettings(): CompletionSettings {
  const config = vscode.workspace.getConfiguration('jan.inlineCompletion');
  return {
    enabled: config.get<boolean>('enabled', true),
    debounceMs: Math.max(0, config.get<number>('debounceMs', 200)),
    maxTokens: Math.max(1, config.get<number>('maxTokens', 96)),
    timeLimitMs: Math.max(50, config.get<number>('timeLimitMs', 500)),
  };
}

function completionDocument(document: vscode.TextDocument): CompletionDocument {
  return { lineCount: document.lineCount, languageId: document.languageId, lineText: (line) => document.lineAt(line).text };
}

/**
 * Ghost text from the completion model. The work is in the core: the prompt, cache and model call
 * in src/core/completion/inline-completion.ts, the pause, skips and reuse while typing in
 * src/core/completion/suggestions.ts. This turns the editor's request and cancellation into a call.
 */
export class JanInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  readonly suggestions: InlineSuggestions;

  constructor(completion: InlineCompletionService) {
    this.suggestions = new InlineSuggestions(completion);
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readSettings();
    if (!settings.enabled) return undefined;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    try {
      const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
      const text = await this.suggestions.suggest(
        completionDocument(document),
        position.line,
        position.character,
        { ...settings, automatic },
        controller.signal,
      );
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
  const provider = new JanInlineCompletionProvider(completion);
  return vscode.Disposable.from(
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    vscode.commands.registerCommand('jan.toggleInlineCompletion', async () => {
      const config = vscode.workspace.getConfiguration('jan.inlineCompletion');
      const enabled = !config.get<boolean>('enabled', true);
      await config.update('enabled', enabled, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(`Jan inline completion ${enabled ? 'on' : 'off'}`, 3000);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('jan.completionModel')) return;
      provider.suggestions.cancel();
      completion.clearCache();
    }),
  );
}
