import * as vscode from 'vscode';
import { coveredClosers, DEFAULT_MIN_CHARS, type CompletionContext, type InlineCompletionService } from '@jan/core';

interface CompletionSettings {
  enabled: boolean;
  debounceMs: number;
  maxTokens: number;
  minChars: number;
}

function readSettings(): CompletionSettings {
  const config = vscode.workspace.getConfiguration('jan.inlineCompletion');
  return {
    enabled: config.get<boolean>('enabled', true),
    debounceMs: Math.max(0, config.get<number>('debounceMs', 200)),
    maxTokens: Math.max(1, config.get<number>('maxTokens', 96)),
    minChars: Math.max(0, config.get<number>('minChars', DEFAULT_MIN_CHARS)),
  };
}

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
    const settings = readSettings();
    if (!settings.enabled) return undefined;
    const request = await this.completion.request(
      { lineCount: document.lineCount, languageId: document.languageId, lineText: (line) => document.lineAt(line).text },
      position.line,
      position.character,
    );
    if (!request || token.isCancellationRequested) return undefined;
    if (request.cached !== undefined) return [item(request.cached, position, request.prompt)];

    const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
    if (automatic && !(await settle(settings.debounceMs, token))) return undefined;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const text = await this.completion.complete(request, settings.maxTokens, controller.signal, { minChars: settings.minChars });
      return text === undefined || token.isCancellationRequested ? undefined : [item(text, position, request.prompt)];
    } finally {
      subscription.dispose();
    }
  }
}

/** The item replaces the auto-closed characters after the cursor that the suggestion writes itself (`foo(║)` + `a, b)`). */
function item(text: string, position: vscode.Position, context: CompletionContext): vscode.InlineCompletionItem {
  const end = new vscode.Position(position.line, position.character + coveredClosers(text, context));
  return new vscode.InlineCompletionItem(text, new vscode.Range(position, end));
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
