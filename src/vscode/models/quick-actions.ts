import * as vscode from 'vscode';

interface ActionPick extends vscode.QuickPickItem {
  command: string;
}

const ACTIONS: ActionPick[] = [
  { label: '$(comment-discussion) Select Chat Model', command: 'jan.selectChatModel' },
  { label: '$(code) Select Completion Model', command: 'jan.selectCompletionModel' },
  { label: '$(cloud-download) Download Model…', command: 'jan.downloadModel' },
  { label: '$(file-add) Import Model File…', command: 'jan.importModel' },
  { label: '$(debug-stop) Unload Model', command: 'jan.unloadModel' },
  { label: '$(pulse) Show Engine Status', command: 'jan.showEngineStatus' },
  { label: '$(trash) Delete Model…', command: 'jan.deleteModel' },
  { label: '$(cloud) Add Remote Engine…', command: 'jan.addRemoteEngine' },
  { label: '$(plug) Test Remote Engine Connection', command: 'jan.testRemoteEngine' },
  { label: '$(comment) Open Chat', command: 'jan.focusChat' },
  { label: '$(output) Show Log', command: 'jan.showLog' },
];

/** Jan: Quick Actions, the status bar item's menu. */
export async function quickActionsCommand(): Promise<void> {
  const picked = await vscode.window.showQuickPick(ACTIONS, { title: 'Jan: Quick Actions' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
