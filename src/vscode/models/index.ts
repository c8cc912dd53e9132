import * as vscode from 'vscode';
import { JanModelsExtension } from '../../../extensions/models';
import type { JanServices } from '../activate';
import { downloadModelCommand } from './download-command';
import { importModelCommand } from './import-command';
import { deleteModelCommand, selectModelCommand, unloadModelCommand } from './manage-commands';
import type { ModelFeatures } from './model-actions';
import { quickActionsCommand } from './quick-actions';
import { ModelStatusBar } from './status-bar';

/**
 * Registers the models extension in the core (call before `core.start()`), the model commands
 * and the status bar item. Cheap: the models folder is first read when a command needs it.
 * Returns the extension so the llama.cpp engine can be given its `resolveModel`.
 */
export function registerModelFeatures(services: JanServices): JanModelsExtension {
  const { core, context, log } = services;
  const models = new JanModelsExtension(core.context, {
    downloadWorkerPath: context.asAbsolutePath('dist/model-download.mjs'),
  });
  core.register(models);
  const features: ModelFeatures = { core, models, log };
  const command = (id: string, run: () => Promise<void>) => vscode.commands.registerCommand(id, run);
  context.subscriptions.push(
    command('jan.downloadModel', () => downloadModelCommand(features)),
    command('jan.importModel', () => importModelCommand(features)),
    command('jan.selectChatModel', () => selectModelCommand(features, 'chat')),
    command('jan.selectCompletionModel', () => selectModelCommand(features, 'completion')),
    command('jan.unloadModel', () => unloadModelCommand(features)),
    command('jan.deleteModel', () => deleteModelCommand(features)),
    command('jan.quickActions', quickActionsCommand),
    new ModelStatusBar(core),
  );
  return models;
}
