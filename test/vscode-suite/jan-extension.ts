import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../package.json';

export const extensionId = `${manifest.publisher}.${manifest.name}`;
export { manifest };

/** The Jan extension, activated (as a user's first command or view would). */
export async function activeJan(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is not installed in this extension host`);
  await extension.activate();
  return extension;
}

/** The workspace folder the suite runs in; the store writes its `.jan` here. */
export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite must run with a folder open');
  return folder.uri;
}
