import * as vscode from 'vscode';
import { errorMessage } from '@jan/core';
import type { AssistantScope, ScopedAssistant } from '@jan/core';
import type { ScopedAssistantsExtension } from '../../../extensions/assistants';
import { displayText } from '../display-text';
import { draftFromAssistant } from './draft';
import type { AssistantFormPanels } from './form-panel';

/** Which assistant a command acts on: given by the chat view's picker, else asked for. */
export interface AssistantRef {
  id: string;
  scope: AssistantScope;
}

export type AssistantCommand = 'edit' | 'duplicate' | 'delete' | 'openJson' | 'setDefault';

const PICK_TITLES: Record<AssistantCommand, string> = {
  edit: 'Edit which assistant?',
  duplicate: 'Duplicate which assistant?',
  delete: 'Delete which assistant?',
  openJson: 'Open the assistant.json of which assistant?',
  setDefault: 'Which assistant should new chats in this workspace start with?',
};

export function scopeLabel(entry: ScopedAssistant): string {
  if (entry.offeredBy) return `From ${entry.offeredBy}`;
  const scope = entry.scope === 'workspace' ? 'Workspace' : 'User';
  if (entry.blocked) return `${scope} · not used in a restricted workspace`;
  if (entry.shadowed) return `${scope} · hidden by the workspace assistant with the same id`;
  return scope;
}

async function pick(
  assistants: ScopedAssistantsExtension,
  command: AssistantCommand,
): Promise<AssistantRef | undefined> {
  const { entries } = await assistants.listScoped();
  const choices = entries.filter(
    (entry) =>
      (command !== 'setDefault' || (!entry.blocked && !entry.shadowed)) &&
      // An offered assistant is in no folder: it can be used (and made the default), not changed.
      (!entry.offeredBy || command === 'setDefault'),
  );
  const chosen = await vscode.window.showQuickPick(
    choices.map((entry) => ({
      // A workspace's assistant.json is the team's (or a cloned repo's) text: shown as data (src/vscode/display-text.ts).
      label: displayText(`${entry.assistant.avatar ? `${entry.assistant.avatar} ` : ''}${entry.assistant.name}`),
      description: scopeLabel(entry),
      detail: entry.assistant.description ? displayText(entry.assistant.description, 300) : undefined,
      ref: { id: entry.assistant.id, scope: entry.scope },
    })),
    { title: `Jan: ${PICK_TITLES[command]}`, matchOnDescription: true },
  );
  return chosen?.ref;
}

/** The assistant commands; `ref` comes from the chat view's picker, otherwise a quick pick asks. */
export async function runAssistantCommand(
  command: AssistantCommand,
  assistants: ScopedAssistantsExtension,
  forms: AssistantFormPanels,
  ref: AssistantRef | undefined,
): Promise<void> {
  const target = ref ?? (await pick(assistants, command));
  if (!target) return;
  try {
    switch (command) {
      case 'edit':
        return await forms.show(target);
      case 'openJson':
        return void (await vscode.window.showTextDocument(
          vscode.Uri.file(assistants.filePath(target.id, target.scope)),
          { preview: false },
        ));
      case 'duplicate': {
        const original = await assistants.getAssistant(target.id, target.scope);
        if (!original) throw new Error(`Assistant "${target.id}" no longer exists.`);
        // A copy of a restricted workspace's assistant goes to the user's scope only when the user saves it.
        const template = { ...draftFromAssistant(original, target.scope), name: `${original.name} (copy)` };
        return await forms.show({ scope: target.scope, template });
      }
      case 'delete': {
        const original = await assistants.getAssistant(target.id, target.scope);
        const where = target.scope === 'workspace' ? 'this workspace (.jan/assistants)' : 'your user assistants';
        const answer = await vscode.window.showWarningMessage(
          `Delete the assistant “${displayText(original?.name ?? target.id)}” from ${where}?`,
          { modal: true, detail: 'Its folder is removed. Threads that used it keep their copy of its instructions.' },
          'Delete',
        );
        if (answer === 'Delete') await assistants.deleteAssistant(target.id, target.scope);
        return;
      }
      case 'setDefault': {
        await vscode.workspace
          .getConfiguration('jan.assistants')
          .update('default', target.id, vscode.ConfigurationTarget.Workspace);
        await assistants.refresh();
        const chosen = await assistants.getAssistant(target.id, target.scope);
        return void vscode.window.showInformationMessage(
          `Jan: new chats in this workspace start with ${displayText(chosen?.name ?? target.id)}.`,
        );
      }
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`Jan: ${errorMessage(error)}`);
  }
}
