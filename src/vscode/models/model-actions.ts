import * as vscode from 'vscode';
import { errorMessage, type JanCore, type Model } from '@jan/core';
import { isCancellation, type JanModelsExtension } from '../../../extensions/models';
import { installedItemText } from './model-items';

export interface ModelFeatures {
  core: JanCore;
  models: JanModelsExtension;
  log: vscode.LogOutputChannel;
}

export type ModelRole = 'chat' | 'completion';

const SETTING: Record<ModelRole, 'chatModel' | 'completionModel'> = { chat: 'chatModel', completion: 'completionModel' };

export function configuredModel(role: ModelRole): string | undefined {
  return vscode.workspace.getConfiguration('jan').get<string>(SETTING[role])?.trim() || undefined;
}

/** Saves where the user would see it: the workspace when it overrides the user setting there. */
export async function saveModelSetting(role: ModelRole, id: string | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('jan');
  const workspaceValue = config.inspect<string>(SETTING[role])?.workspaceValue;
  const target = workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(SETTING[role], id, target);
}

export function reportError(features: ModelFeatures, what: string, error: unknown): void {
  if (isCancellation(error) || (error as Error | undefined)?.name === 'AbortError') return;
  features.log.error(`${what}: ${errorMessage(error)}`);
  void vscode.window.showErrorMessage(`${what}: ${errorMessage(error)}`);
}

/** Loads a model through the engine named in its model.json, with a cancellable notification. */
export async function loadModel(features: ModelFeatures, model: Model): Promise<void> {
  const engine = features.core.engines.get(model.engine);
  if (!engine) {
    void vscode.window.showWarningMessage(`${model.name} is selected, but no "${model.engine}" engine is available to load it.`);
    return;
  }
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Loading ${model.name}…`, cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        await engine.load(model.id, model.settings, controller.signal);
      },
    );
  } catch (error) {
    reportError(features, `Could not load ${model.name}`, error);
  }
}

/** Saves the model as the chat or completion model and loads it. */
export async function useModel(features: ModelFeatures, role: ModelRole, model: Model): Promise<void> {
  await saveModelSetting(role, model.id);
  await loadModel(features, model);
}

/** Offers to use a model that was just downloaded or imported. */
export async function offerToUse(features: ModelFeatures, model: Model, suggested?: ModelRole): Promise<void> {
  const chat = 'Use for Chat';
  const completion = 'Use for Completion';
  const order = suggested === 'completion' ? [completion, chat] : [chat, completion];
  const choice = await vscode.window.showInformationMessage(`${model.name} is ready.`, ...order);
  if (choice === chat) await useModel(features, 'chat', model);
  if (choice === completion) await useModel(features, 'completion', model);
}

interface ModelPick extends vscode.QuickPickItem {
  model: Model;
}

/** A picker of installed models; offers download and import when there is none. */
export async function pickInstalledModel(features: ModelFeatures, title: string, currentId?: string): Promise<Model | undefined> {
  const { models, warnings } = await features.models.listModels();
  if (warnings.length > 0) {
    features.log.warn(`${warnings.length} model.json file(s) were skipped; see the messages above.`);
  }
  if (models.length === 0) {
    const choice = await vscode.window.showInformationMessage('No models are installed yet.', 'Download Model…', 'Import Model File…');
    if (choice === 'Download Model…') await vscode.commands.executeCommand('jan.downloadModel');
    if (choice === 'Import Model File…') await vscode.commands.executeCommand('jan.importModel');
    return undefined;
  }
  const items: ModelPick[] = models.map((model) => ({
    ...installedItemText(model, features.models.modelFilePath(model), model.id === currentId),
    model,
  }));
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  return picked?.model;
}
