import * as vscode from 'vscode';
import { buildCompletionContext, CompletionCache, errorMessage, postprocessCompletion } from '@jan/core';
import type { EngineRegistry, Logger } from '@jan/core';

export interface CompletionModelChoice {
  id: string;
  engine: string;
}

export interface InlineCompletionDeps {
  engines: EngineRegistry;
  logger: Logger;
  /** The user's completion model, or undefined when none is chosen (then nothing is shown). */
  completionModel: () => Promise<CompletionModelChoice | undefined>;
}

interface CompletionSettings {
  enabled: boolean;
  debounceMs: number;
  maxTokens: number;
}

function readSettings(): CompletionSettings {
  const config = vscode.workspace.getConfiguration('jan.inlineCompletion');
  return {
    enabled: config.get<boolean>('enabled', true),
    debounceMs: Math.max(0, config.get<number>('debounceMs', 200)),
    maxTokens: Math.max(1, config.get<number>('maxTokens', 96)),
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
 * Ghost-text completion from the local FIM model: debounced, cancelled on the next keystroke
 * (the engine stops generating), cached, and post-processed before it is shown.
 */
export class JanInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  private readonly cache = new CompletionCache();
  private lastFailure?: string;

  constructor(private readonly deps: InlineCompletionDeps) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readSettings();
    if (!settings.enabled) return undefined;

    const first = Math.max(0, position.line - 80);
    const last = Math.min(document.lineCount - 1, position.line + 24);
    const window: string[] = [];
    for (let line = first; line <= last; line++) window.push(document.lineAt(line).text);
    const prompt = buildCompletionContext(window, position.line - first, position.character, document.languageId);

    const cached = this.cache.get(prompt.prefix, prompt.suffix);
    if (cached !== undefined) return [this.item(cached, position)];

    const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
    if (automatic && !(await settle(settings.debounceMs, token))) return undefined;
    // Resolved after the cache and the pause: finding the model reads its model.json, which must
    // not happen on every keystroke.
    const model = await this.deps.completionModel();
    const engine = model && this.deps.engines.get(model.engine);
    if (!model || !engine || token.isCancellationRequested) return undefined;

    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      await engine.load(model.id, undefined, controller.signal);
      const result = await engine.complete(
        { model: model.id, prefix: prompt.prefix, suffix: prompt.suffix, max_tokens: settings.maxTokens, temperature: 0.1 },
        controller.signal,
      );
      if (token.isCancellationRequested) return undefined;
      const text = postprocessCompletion(result.text, prompt);
      if (text === undefined) return undefined;
      this.cache.set(prompt.prefix, prompt.suffix, text);
      this.lastFailure = undefined;
      return [this.item(text, position)];
    } catch (error) {
      if (!controller.signal.aborted) {
        const message = errorMessage(error);
        // One line per distinct failure: a broken model would otherwise log on every keystroke.
        if (message !== this.lastFailure) this.deps.logger.warn(`Inline completion failed: ${message}`);
        this.lastFailure = message;
      }
      return undefined;
    } finally {
      subscription.dispose();
    }
  }

  clearCache(): void {
    this.cache.clear();
  }

  private item(text: string, position: vscode.Position): vscode.InlineCompletionItem {
    return new vscode.InlineCompletionItem(text, new vscode.Range(position, position));
  }
}

export function registerInlineCompletion(deps: InlineCompletionDeps): vscode.Disposable {
  const provider = new JanInlineCompletionProvider(deps);
  return vscode.Disposable.from(
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    vscode.commands.registerCommand('jan.toggleInlineCompletion', async () => {
      const config = vscode.workspace.getConfiguration('jan.inlineCompletion');
      const enabled = !config.get<boolean>('enabled', true);
      await config.update('enabled', enabled, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(`Jan inline completion ${enabled ? 'on' : 'off'}`, 3000);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('jan.completionModel')) provider.clearCache();
    }),
  );
}
