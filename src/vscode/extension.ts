import * as vscode from 'vscode';
import type { JanExtensionApi } from '@jan/core';
import { activateJan } from './activate';

let deactivateJan: (() => Promise<void>) | undefined;

/** Returns the public API other extensions connect to (docs/EXTENDING.md). */
export function activate(context: vscode.ExtensionContext): JanExtensionApi {
  const { api, teardown } = activateJan(context);
  deactivateJan = teardown;
  return api;
}

export async function deactivate(): Promise<void> {
  await deactivateJan?.();
  deactivateJan = undefined;
}
