import * as vscode from 'vscode';

/** The walkthrough's id in `contributes.walkthroughs` (package.json). */
export const WALKTHROUGH_ID = 'gettingStarted';
const SHOWN_KEY = 'jan.walkthroughShown';

/**
 * Opens Getting Started once, on the first activation after install (kept in global state, so
 * not again in another window or workspace), unless the user turned off walkthroughs on install
 * (`workbench.welcomePage.walkthroughs.openOnInstall`). True when it was opened now.
 */
export async function openWalkthroughOnFirstRun(context: vscode.ExtensionContext): Promise<boolean> {
  if (context.globalState.get<boolean>(SHOWN_KEY)) return false;
  if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true))
    return false;
  await context.globalState.update(SHOWN_KEY, true);
  await vscode.commands.executeCommand(
    'workbench.action.openWalkthrough',
    `${context.extension.id}#${WALKTHROUGH_ID}`,
    false,
  );
  return true;
}
