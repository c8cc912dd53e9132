import * as vscode from 'vscode';
import { ContextChunks, coveredClosers, InlineSuggestions } from '@jan/core';
import type { CompletionDocument, InlineCompletionService, Suggestion } from '@jan/core';
import { completionSettingValues, type CompletionSettings } from '../settings';

/** Runs after a suggestion is accepted: the next one is prepared in the background (llama.vscode's speculative suggestion). */
const ACCEPTED_COMMAND = 'jan.inlineCompletion.accepted';
/** Languages whose line comments start with `#` (the others get `//` above a chunk of another file). */
const HASH_COMMENTS = new Set([
  'python',
  'shellscript',
  'ruby',
  'perl',
  'r',
  'yaml',
  'toml',
  'dockerfile',
  'makefile',
  'powershell',
  'elixir',
  'julia',
]);

function completionDocument(document: vscode.TextDocument): CompletionDocument {
  return {
    lineCount: document.lineCount,
    languageId: document.languageId,
    lineText: (line) => document.lineAt(line).text,
  };
}

/**
 * Ghost text from the completion model. The work is in the core: the prompt, cache and model call
 * in src/core/completion/inline-completion.ts, the pause, skips and reuse while typing in
 * src/core/completion/suggestions.ts. This turns the editor's request and cancellation into a call.
 */
export class JanInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  readonly suggestions: InlineSuggestions;
  /** Code around recent edits and opened editors in other files. */
  readonly chunks = new ContextChunks();

  constructor(completion: InlineCompletionService) {
    this.suggestions = new InlineSuggestions(completion);
  }

  /** Takes the code around `line` into the chunks of other files' context. */
  remember(document: vscode.TextDocument, line: number): void {
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return;
    this.chunks.add(vscode.workspace.asRelativePath(document.uri), completionDocument(document), line);
  }

  /** After an accepted suggestion: the next one, at the cursor, into the cache. */
  async prepareNext(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    // Bounded: a workspace may set these (src/core/settings/registry.ts).
    const settings = completionSettingValues();
    if (!editor || !settings.enabled) return;
    const { document, selection } = editor;
    const position = selection.active;
    await this.suggestions.prefetch(completionDocument(document), position.line, position.character, {
      ...settings,
      extra: this.extraFor(document, settings),
    });
  }

  /**
   * Prepares the prompt at the editor's cursor in the background (a file opened or focused, and after
   * a save), so the first suggestion there does not pay for evaluating it.
   */
  async warm(editor: vscode.TextEditor | undefined): Promise<void> {
    const settings = completionSettingValues();
    if (!editor || !settings.enabled) return;
    const { document, selection } = editor;
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return;
    await this.suggestions.warm(completionDocument(document), selection.active.line, selection.active.character, {
      maxTokens: settings.maxTokens,
      maxLines: settings.maxLines,
      extra: this.extraFor(document, settings),
    });
  }

  private extraFor(document: vscode.TextDocument, settings: CompletionSettings): string | undefined {
    if (!settings.otherFilesContext) return undefined;
    return this.chunks.text(
      vscode.workspace.asRelativePath(document.uri),
      HASH_COMMENTS.has(document.languageId) ? '#' : '//',
    );
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    // Bounded: a workspace may set these (src/core/settings/registry.ts).
    const settings = completionSettingValues();
    if (!settings.enabled) return undefined;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    try {
      const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
      const suggestion = await this.suggestions.suggest(
        completionDocument(document),
        position.line,
        position.character,
        { ...settings, automatic, extra: this.extraFor(document, settings) },
        controller.signal,
      );
      return suggestion === undefined || token.isCancellationRequested ? undefined : [item(suggestion, position)];
    } finally {
      subscription.dispose();
    }
  }
}

/**
 * The item replaces the auto-closed characters after the cursor that the suggestion writes itself
 * (`foo(║)` + `a, b)`); accepting it prepares the next suggestion.
 */
function item({ text, prompt }: Suggestion, position: vscode.Position): vscode.InlineCompletionItem {
  const end = new vscode.Position(position.line, position.character + coveredClosers(text, prompt));
  const suggestion = new vscode.InlineCompletionItem(text, new vscode.Range(position, end));
  suggestion.command = { command: ACCEPTED_COMMAND, title: 'Prepare the next suggestion' };
  return suggestion;
}

export function registerInlineCompletion(completion: InlineCompletionService): vscode.Disposable {
  const provider = new JanInlineCompletionProvider(completion);
  void provider.warm(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    vscode.commands.registerCommand('jan.toggleInlineCompletion', async () => {
      const config = vscode.workspace.getConfiguration('jan.inlineCompletion');
      const enabled = !config.get<boolean>('enabled', true);
      await config.update('enabled', enabled, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(`Jan inline completion ${enabled ? 'on' : 'off'}`, 3000);
    }),
    vscode.commands.registerCommand(ACCEPTED_COMMAND, () => provider.prepareNext()),
    vscode.workspace.onDidChangeTextDocument((event) => {
      const change = event.contentChanges[0];
      if (change) provider.remember(event.document, change.range.start.line);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor) provider.remember(editor.document, editor.selection.active.line);
      void provider.warm(editor);
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document === document) void provider.warm(editor);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('jan.completionModel')) return;
      provider.suggestions.cancel();
      completion.clearCache();
    }),
  );
}
