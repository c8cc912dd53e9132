import * as vscode from 'vscode';
import {
  EDIT_SYSTEM_PROMPT,
  EngineError,
  SELECTION_ACTIONS,
  errorMessage,
  extractCode,
  fitReplacement,
  logReply,
  rewriteTokenLimit,
  selectionPrompt,
  selectionPromptOverride,
} from '@jan/core';
import type { Assistant, InferenceService, Logger, SelectionAction, SelectionInput } from '@jan/core';
import { PROPOSAL_SCHEME, ProposalStore } from './proposals';

export interface SelectionCommandDeps {
  /** Runs the user's chat model: the same path as the chat and the API server. */
  inference: InferenceService;
  /** Starts a new chat thread with this message and shows the chat. */
  askInChat: (text: string) => Promise<void>;
  /** Shared with the chat view's Apply button: one place shows and applies proposed edits. */
  proposals: ProposalStore;
  /** Jan's log: each command, its tokens and time, a cancel, a rejected answer. */
  logger: Logger;
  /** The workspace's default assistant: its prompts replace the built-in ones. */
  assistant?: () => Promise<Assistant | undefined>;
}

const COMMANDS: Record<SelectionAction, string> = {
  explain: 'jan.explainSelection',
  tests: 'jan.testSelection',
  fix: 'jan.fixSelection',
  document: 'jan.documentSelection',
  refactor: 'jan.refactorSelection',
  custom: 'jan.customPromptSelection',
};

function selectionInput(editor: vscode.TextEditor): SelectionInput | undefined {
  const selection = editor.selection;
  const code = editor.document.getText(selection);
  if (!code.trim()) return undefined;
  return {
    code,
    languageId: editor.document.languageId,
    fileName: vscode.workspace.asRelativePath(editor.document.uri),
    startLine: selection.start.line + 1,
    endLine: selection.end.line + 1,
  };
}

interface EditAnswer {
  text: string;
  tokens: number;
  /** The token limit ended the answer, so its code may be cut short. */
  cut: boolean;
}

/**
 * Runs the chat model on one request to completion, at most `maxTokens` long, with a cancellable
 * progress notification. Undefined when the user cancelled.
 */
async function generateEdit(
  deps: SelectionCommandDeps,
  what: string,
  title: string,
  prompt: string,
  maxTokens: number,
): Promise<EditAnswer | undefined> {
  const model = await deps.inference.require('chat');
  const startedAt = Date.now();
  let firstTokenAt: number | undefined;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Jan: ${title}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        progress.report({ message: `loading ${model.id}…` });
        let text = '';
        let tokens = 0;
        let cut = false;
        const messages = [
          { role: 'system' as const, content: EDIT_SYSTEM_PROMPT },
          { role: 'user' as const, content: prompt },
        ];
        for await (const chunk of deps.inference.chat(
          model,
          { messages, stream: true, max_tokens: maxTokens },
          controller.signal,
        )) {
          const choice = chunk.choices[0];
          const delta = choice?.delta.content ?? '';
          if (delta) {
            firstTokenAt ??= Date.now();
            text += delta;
            tokens += 1;
            if (tokens % 8 === 1) progress.report({ message: `${tokens} of at most ${maxTokens} tokens` });
          }
          if (choice?.finish_reason === 'length') cut = true;
        }
        const status = controller.signal.aborted ? 'stopped' : 'ready';
        logReply(deps.logger, {
          what,
          modelId: model.id,
          status,
          completionTokens: tokens,
          startedAt,
          firstTokenAt,
          finishedAt: Date.now(),
        });
        return status === 'stopped' ? undefined : { text, tokens, cut };
      } finally {
        subscription.dispose();
      }
    },
  );
}

async function run(action: SelectionAction, deps: SelectionCommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const input = editor && selectionInput(editor);
  if (!editor || !input) {
    void vscode.window.showInformationMessage('Select some code first.');
    return;
  }
  const spec = SELECTION_ACTIONS[action];
  if (action === 'custom') {
    const instruction = await vscode.window.showInputBox({
      title: 'Jan: Custom Prompt',
      prompt: 'What should Jan do with the selected code?',
      placeHolder: 'e.g. convert to async/await',
      ignoreFocusOut: true,
    });
    if (!instruction?.trim()) return;
    input.instruction = instruction;
  }
  const prompt = selectionPrompt(action, input, selectionPromptOverride(await deps.assistant?.(), action));
  const what = `${spec.title} on ${input.fileName}:${input.startLine}-${input.endLine}`;
  if (spec.target === 'chat') {
    deps.logger.info(`${what}: asked in the chat (${input.code.length} characters).`);
    await deps.askInChat(prompt);
    return;
  }
  const document = editor.document;
  const range = new vscode.Range(editor.selection.start, editor.selection.end);
  const maxTokens = rewriteTokenLimit(input.code);
  deps.logger.info(`${what}: ${input.code.length} characters, at most ${maxTokens} tokens.`);
  const answer = await generateEdit(deps, what, spec.title, prompt, maxTokens);
  if (answer === undefined) return;
  if (answer.cut) {
    deps.logger.warn(`${what}: the answer reached ${maxTokens} tokens before its code was complete; nothing applied.`);
    void vscode.window.showWarningMessage(
      `Jan: ${spec.title} stopped at ${maxTokens} tokens (about twice the selection) before the code was complete, so nothing was applied. Select less code, or ask in the chat.`,
    );
    return;
  }
  const code = extractCode(answer.text, document.languageId);
  if (!code) {
    const problem = answer.text.trim() ? 'answered without a code block' : 'returned no code';
    deps.logger.warn(`${what}: the model ${problem} (${answer.tokens} tokens); nothing applied.`);
    void vscode.window.showWarningMessage(
      `Jan: the model ${problem}, so nothing was applied. Try again or rephrase the request.`,
    );
    return;
  }
  await deps.proposals.propose(document, range, fitReplacement(input.code, code), spec.title);
}

export function registerSelectionCommands(deps: SelectionCommandDeps): vscode.Disposable {
  const proposals = deps.proposals;
  const disposables: vscode.Disposable[] = [
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals),
    vscode.commands.registerCommand('jan.acceptProposal', () => proposals.accept()),
    vscode.commands.registerCommand('jan.rejectProposal', () => proposals.reject()),
  ];
  for (const [action, command] of Object.entries(COMMANDS) as Array<[SelectionAction, string]>) {
    disposables.push(
      vscode.commands.registerCommand(command, async () => {
        try {
          await run(action, deps);
        } catch (error) {
          deps.logger.warn(`${command} failed: ${errorMessage(error)}`);
          const noModel = error instanceof EngineError && error.code === 'NO_MODEL';
          const pick = await vscode.window.showErrorMessage(
            `Jan: ${errorMessage(error)}`,
            ...(noModel ? ['Select Chat Model'] : []),
          );
          if (pick === 'Select Chat Model') await vscode.commands.executeCommand('jan.selectChatModel');
        }
      }),
    );
  }
  return vscode.Disposable.from(...disposables);
}
