import * as vscode from 'vscode';
import { runningApiServer } from '../server';

interface ActionPick extends vscode.QuickPickItem {
  command: string;
}

const MODEL_ACTIONS: ActionPick[] = [
  { label: '$(comment-discussion) Select Chat Model', command: 'jan.selectChatModel' },
  { label: '$(code) Select Completion Model', command: 'jan.selectCompletionModel' },
  { label: '$(cloud-download) Download Model…', command: 'jan.downloadModel' },
  { label: '$(file-add) Import Model File…', command: 'jan.importModel' },
  { label: '$(debug-stop) Unload Model', command: 'jan.unloadModel' },
  { label: '$(pulse) Show Engine Status', command: 'jan.showEngineStatus' },
  { label: '$(trash) Delete Model…', command: 'jan.deleteModel' },
  { label: '$(cloud) Add Remote Engine…', command: 'jan.addRemoteEngine' },
  { label: '$(plug) Test Remote Engine Connection', command: 'jan.testRemoteEngine' },
];

/** The actions that switch something on or off, each named for what it will do now. */
function switchActions(): ActionPick[] {
  const server = runningApiServer();
  const completion = vscode.workspace.getConfiguration('jan.inlineCompletion').get<boolean>('enabled', true);
  return [
    server
      ? { label: '$(radio-tower) Stop API Server', description: server.baseUrl, command: 'jan.stopApiServer' }
      : {
          label: '$(radio-tower) Start API Server',
          description: 'OpenAI-compatible, on this machine',
          command: 'jan.startApiServer',
        },
    ...(server ? [{ label: '$(key) Copy API Key', command: 'jan.copyApiKey' }] : []),
    {
      label: completion ? '$(circle-slash) Turn Off Inline Completion' : '$(lightbulb) Turn On Inline Completion',
      command: 'jan.toggleInlineCompletion',
    },
  ];
}

/** Jan: Quick Actions, the menu of the status bar item and of the chat view's title bar. */
export async function quickActionsCommand(): Promise<void> {
  const separator = (label: string): ActionPick => ({ label, kind: vscode.QuickPickItemKind.Separator, command: '' });
  const picked = await vscode.window.showQuickPick(
    [
      ...switchActions(),
      separator('Models'),
      ...MODEL_ACTIONS,
      separator(''),
      { label: '$(comment) Open Chat', command: 'jan.focusChat' },
      { label: '$(output) Show Log', command: 'jan.showLog' },
    ],
    { title: 'Jan: Quick Actions' },
  );
  if (picked?.command) await vscode.commands.executeCommand(picked.command);
}
