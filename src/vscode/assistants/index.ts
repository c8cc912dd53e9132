import * as vscode from 'vscode';
import type { JanHost } from '../host';
import type { AssistantCommand, AssistantRef } from './commands';
import type { AssistantFormPanels } from './form-panel';

const COMMANDS: Record<AssistantCommand, string> = {
  edit: 'jan.editAssistant',
  duplicate: 'jan.duplicateAssistant',
  delete: 'jan.deleteAssistant',
  openJson: 'jan.openAssistantJson',
  setDefault: 'jan.setDefaultAssistant',
};

/** The assistant commands and forms; their code loads when one first runs. */
export function registerAssistantCommands(host: JanHost): void {
  const { runtime, context } = host;
  let forms: Promise<AssistantFormPanels> | undefined;
  const panels = () =>
    (forms ??= import('./form-panel').then(({ AssistantFormPanels }) => {
      const created = new AssistantFormPanels(context.extensionUri, runtime.assistants, runtime.inference);
      context.subscriptions.push(created);
      return created;
    }));
  context.subscriptions.push(
    vscode.commands.registerCommand('jan.newAssistant', async (scope?: 'workspace' | 'user') =>
      (await panels()).show({ scope: scope ?? 'workspace' }),
    ),
  );
  for (const [command, id] of Object.entries(COMMANDS) as Array<[AssistantCommand, string]>) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (ref?: AssistantRef) =>
        (await import('./commands')).runAssistantCommand(command, runtime.assistants, await panels(), ref),
      ),
    );
  }
}
