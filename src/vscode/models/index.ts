import * as vscode from 'vscode';
import type { JanHost } from '../host';
import { downloadModelCommand } from './download-command';
import { importModelCommand } from './import-command';
import { deleteModelCommand, selectModelCommand, unloadModelCommand } from './manage-commands';
import type { ModelFeatures } from './model-actions';
import { quickActionsCommand } from './quick-actions';
import { ModelStatusBar } from './status-bar';

/**
 * Registers the model commands and the status bar item. Cheap: the models folder is first read
 * when a command needs it.
 */
export function registerModelFeatures(host: JanHost): void {
  const { runtime, context, log } = host;
  const features: ModelFeatures = { engines: runtime.core.engines, inference: runtime.inference, models: runtime.models, log };
  const command = (id: string, run: () => Promise<void>) => vscode.commands.registerCommand(id, run);
  context.subscriptions.push(
    command('jan.downloadModel', () => downloadModelCommand(features)),
    command('jan.importModel', () => importModelCommand(features)),
    command('jan.selectChatModel', () => selectModelCommand(features, 'chat')),
    command('jan.selectCompletionModel', () => selectModelCommand(features, 'completion')),
    command('jan.unloadModel', () => unloadModelCommand(features)),
    command('jan.deleteModel', () => deleteModelCommand(features)),
    command('jan.quickActions', quickActionsCommand),
    new ModelStatusBar(runtime.core),
  );
}
