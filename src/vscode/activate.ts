import * as path from 'node:path';
import * as vscode from 'vscode';
import { JanCore } from '@jan/core';
import { createLogger } from './logger';
import { registerModelFeatures } from './models';

/** Everything the VS Code adapters share; built once at activation, cheaply. */
export interface JanServices {
  core: JanCore;
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
}

/** Where `.jan` lives: the first workspace folder on disk, or global storage without one. */
export function resolveJanFolder(context: vscode.ExtensionContext): string {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
  return folder ? path.join(folder.uri.fsPath, '.jan') : path.join(context.globalStorageUri.fsPath, '.jan');
}

/** The models folder setting, ignored in an untrusted workspace (it points at files). */
export function resolveModelsFolder(context: vscode.ExtensionContext): string {
  const config = vscode.workspace.getConfiguration('jan');
  const inspected = config.inspect<string>('modelsFolder');
  const value = vscode.workspace.isTrusted ? config.get<string>('modelsFolder') : inspected?.globalValue;
  return value && value.trim() ? value.trim() : path.join(context.globalStorageUri.fsPath, 'models');
}

/** Activation: no model, no worker, no heavy import. Returns the teardown. */
export function activateJan(context: vscode.ExtensionContext): () => Promise<void> {
  const log = vscode.window.createOutputChannel('Jan', { log: true });
  context.subscriptions.push(log);
  const core = new JanCore({
    janFolder: resolveJanFolder(context),
    modelsFolder: resolveModelsFolder(context),
    logger: createLogger(log),
  });
  const services: JanServices = { core, context, log };
  context.subscriptions.push(vscode.commands.registerCommand('jan.showLog', () => log.show()));
  registerModelFeatures(services);

  const started = core.start().then(
    () => log.info(`Jan started; data in ${core.context.janFolder}, models in ${core.context.modelsFolder}`),
    (error: unknown) => log.error(`Jan failed to start: ${String(error)}`),
  );
  void services;

  return async () => {
    await started;
    await core.stop();
  };
}
