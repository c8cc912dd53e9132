import type * as vscode from 'vscode';
import type { JanExtensionApi } from '@jan/core';

/**
 * The activation bundle (docs/ARCHITECTURE.md "Activation"): this file alone is parsed when VS
 * Code activates Jan. The runtime and the editor's wiring (./activate) load after the extension
 * host has had a turn, and each feature's own code (chat, server, remote engines, assistants,
 * model commands) when it is first used. VS Code waits for the returned promise before it runs a
 * Jan command or hands the API to another extension, so nothing is called before it exists.
 */
let activation: Promise<{ api: JanExtensionApi; teardown: () => Promise<void> }> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<JanExtensionApi> {
  activation = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => import('./activate'))
    .then(({ activateJan }) => activateJan(context));
  return (await activation).api;
}

export async function deactivate(): Promise<void> {
  const started = activation;
  activation = undefined;
  await (await started?.catch(() => undefined))?.teardown();
}
