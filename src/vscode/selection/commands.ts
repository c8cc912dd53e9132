import * as vscode from 'vscode';
import {
  EDIT_SYSTEM_PROMPT,
  EngineError,
  SELECTION_ACTIONS,
  errorMessage,
  extractCode,
  fitReplacement,
  selectionPrompt,
  selectionPromptOverride,
} from '@jan/core';
import type { Assistant, InferenceService, SelectionAction, SelectionInput } from '@jan/core';
import { PROPOSAL_SCHEME, ProposalStore } from './proposals';

export interface SelectionCommandDeps {
  /** Runs the user's chat model: the same path as the chat and the API server. */
  inference: InferenceService;
  /** Starts a new chat thread with this message and shows the chat. */
  askInChat: (text: string) => Promise<void>;
  /** Shared with the chat view's Apply button: one place shows and applies proposed edits. */
  proposals: ProposalStore;
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

/** Runs the chat model on one request to completion, with a cancellable progress notification. */
async function generateEdit(deps: SelectionCommandDeps, title: string, prompt: string): Promise<string | undefined> {
  const model = await deps.inference.require('chat');
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Jan: ${title}`, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      progress.report({ message: `loading ${model.id}…` });
      let answer = '';
      let tokens = 0;
      const messages = [
        { role: 'system' as const, content: EDIT_SYSTEM_PROMPT },
        { role: 'user' as const, content: prompt },
      ];
      for await (const chunk of deps.inference.chat(model, { messages, stream: true }, controller.signal)) {
        const delta = chunk.choices[0]?.delta.content ?? '';
        if (delta) {
          answer += delta;
          tokens += 1;
          if (tokens % 8 === 1) progress.report({ message: `${tokens} tokens` });
        }
      }
      return controller.signal.aborted ? undefined : answer;
    } finally {
      subscription.dispose();
    }
  });
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
  if (spec.target === 'chat') {
    await deps.askInChat(prompt);
    return;
  }
  const document = editor.document;
  const range = new vscode.Range(editor.selection.start, editor.selection.end);
  const answer = await generateEdit(deps, spec.title, prompt);
  if (answer === undefined) return;
  const code = extractCode(answer, document.languageId);
  if (!code) {
    void vscode.window.showWarningMessage('The model returned no code. Try again or rephrase the request.');
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
          const noModel = error instanceof EngineError && error.code === 'NO_MODEL';
          const pick = await vscode.window.showErrorMessage(`Jan: ${errorMessage(error)}`, ...(noModel ? ['Select Chat Model'] : []));
          if (pick === 'Select Chat Model') await vscode.commands.executeCommand('jan.selectChatModel');
        }
      }),
    );
  }
  return vscode.Disposable.from(...disposables);
}
