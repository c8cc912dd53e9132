import * as vscode from 'vscode';
import {
  EngineError,
  SELECTION_ACTIONS,
  errorMessage,
  rewriteEdit,
  selectionPrompt,
  selectionPromptOverride,
} from '@jan/core';
import type { Assistant, SelectionAction } from '@jan/core';
import { runEdit } from './edit-run';
import type { EditRunDeps } from './edit-run';
import { inlineChat } from './inline-chat';
import { selectionInput } from './selection-input';

export interface SelectionCommandDeps extends EditRunDeps {
  /** Starts a new chat thread with this message and shows the chat. */
  askInChat: (text: string) => Promise<void>;
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
  const override = selectionPromptOverride(await deps.assistant?.(), action);
  if (spec.target === 'chat') {
    deps.logger.info(
      `${spec.title} on ${input.fileName}:${input.startLine}-${input.endLine}: asked in the chat (${input.code.length} characters).`,
    );
    await deps.askInChat(selectionPrompt(action, input, override));
    return;
  }
  const model = await deps.inference.require('chat');
  const range = new vscode.Range(editor.selection.start, editor.selection.end);
  await runEdit(
    deps,
    { document: editor.document, range },
    rewriteEdit(action, input, { override }),
    spec.title,
    model,
  );
}

/** Runs a command, turning a failure into one error message (with the model picker when no model is chosen). */
async function reported(command: string, deps: EditRunDeps, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    deps.logger.warn(`${command} failed: ${errorMessage(error)}`);
    const noModel = error instanceof EngineError && error.code === 'NO_MODEL';
    const pick = await vscode.window.showErrorMessage(
      `Jan: ${errorMessage(error)}`,
      ...(noModel ? ['Select Chat Model'] : []),
    );
    if (pick === 'Select Chat Model') await vscode.commands.executeCommand('jan.selectChatModel');
  }
}

export function registerSelectionCommands(deps: SelectionCommandDeps): vscode.Disposable {
  const runInline = inlineChat(deps);
  const disposables: vscode.Disposable[] = [
    deps.proposals.register(),
    vscode.commands.registerCommand('jan.inlineChat', () => reported('jan.inlineChat', deps, runInline)),
  ];
  for (const [action, command] of Object.entries(COMMANDS) as Array<[SelectionAction, string]>) {
    disposables.push(vscode.commands.registerCommand(command, () => reported(command, deps, () => run(action, deps))));
  }
  return vscode.Disposable.from(...disposables);
}
