import * as vscode from 'vscode';
import {
  errorMessage,
  runsOnLabel,
  type EngineRegistry,
  type InferenceService,
  type Model,
  type ModelPurpose,
} from '@jan/core';
import { isCancellation, type JanModelsExtension } from '../../../extensions/models';
import { displayText } from '../display-text';
import { saveModelSetting } from '../settings';
import { installedItemText, remoteItemText } from './model-items';

export interface ModelFeatures {
  engines: EngineRegistry;
  inference: InferenceService;
  models: JanModelsExtension;
  log: vscode.LogOutputChannel;
}

export function reportError(features: ModelFeatures, what: string, error: unknown): void {
  if (isCancellation(error) || (error as Error | undefined)?.name === 'AbortError') return;
  features.log.error(`${what}: ${errorMessage(error)}`);
  void vscode.window.showErrorMessage(`${what}: ${errorMessage(error)}`);
}

/** Loads a model through the engine named in its model.json, with a cancellable notification. */
export async function loadModel(features: ModelFeatures, model: Model): Promise<void> {
  try {
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Loading ${displayText(model.name)}…`,
        cancellable: true,
      },
      async (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        await features.inference.prepare({ id: model.id, engine: model.engine }, model.settings, controller.signal);
      },
    );
  } catch (error) {
    reportError(features, `Could not load ${displayText(model.name)}`, error);
  }
}

/** Saves the model as the chat or completion model and loads it. */
export async function useModel(features: ModelFeatures, role: ModelPurpose, model: Model): Promise<void> {
  await saveModelSetting(role, model.id);
  await loadModel(features, model);
}

/**
 * Offers to use a model that was just downloaded or imported. A choice does not take the other
 * one away: after "Use for Chat" the notice comes back with "Use for Completion", and each choice
 * is confirmed.
 */
export async function offerToUse(features: ModelFeatures, model: Model, suggested?: ModelPurpose): Promise<void> {
  const actions: Record<string, ModelPurpose> = { 'Use for Chat': 'chat', 'Use for Completion': 'completion' };
  let offered = Object.keys(actions);
  if (suggested === 'completion') offered.reverse();
  const name = displayText(model.name);
  let text = `${name} is ready.`;
  for (;;) {
    const choice = await vscode.window.showInformationMessage(text, ...offered);
    if (!choice) return;
    await useModel(features, actions[choice]!, model);
    offered = offered.filter((action) => action !== choice);
    const used = Object.keys(actions)
      .filter((action) => !offered.includes(action))
      .map((action) => actions[action]);
    text = `${name} is now the ${used.join(' and ')} model.`;
    if (offered.length === 0) return void vscode.window.showInformationMessage(text);
  }
}

interface ModelPick extends vscode.QuickPickItem {
  model?: Model;
}

/**
 * A picker of every model an engine can run: installed ones, then each remote engine's (read
 * again from the servers now), one group per engine with where its code goes.
 */
export async function pickModel(
  features: ModelFeatures,
  title: string,
  currentId?: string,
): Promise<Model | undefined> {
  features.inference.refreshModels();
  const models = await features.inference.listModels();
  if (models.length === 0) return pickInstalledModel(features, title, currentId);
  const groups = new Map<string, Model[]>();
  for (const model of models) groups.set(model.engine, [...(groups.get(model.engine) ?? []), model]);
  const items: ModelPick[] = [];
  for (const [engineId, group] of groups) {
    const engine = features.engines.get(engineId);
    items.push({
      label: `${engine?.displayName ?? engineId} · ${engine ? runsOnLabel(engine.runsOn) : 'no such engine'}`,
      kind: vscode.QuickPickItemKind.Separator,
    });
    for (const model of group) {
      const current = model.id === currentId;
      const text =
        engine?.runsOn.kind === 'remote'
          ? remoteItemText(model, current)
          : installedItemText(model, features.models.modelFilePath(model), current, engine?.runsOn);
      items.push({ ...text, model });
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  return picked?.model;
}

/** A picker of installed models; offers download and import when there is none. */
export async function pickInstalledModel(
  features: ModelFeatures,
  title: string,
  currentId?: string,
): Promise<Model | undefined> {
  const { models, warnings } = await features.models.listModels();
  if (warnings.length > 0) {
    features.log.warn(`${warnings.length} model.json file(s) were skipped; see the messages above.`);
  }
  if (models.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'No models are installed yet.',
      'Download Model…',
      'Import Model File…',
    );
    if (choice === 'Download Model…') await vscode.commands.executeCommand('jan.downloadModel');
    if (choice === 'Import Model File…') await vscode.commands.executeCommand('jan.importModel');
    return undefined;
  }
  const items: ModelPick[] = models.map((model) => ({
    ...installedItemText(
      model,
      features.models.modelFilePath(model),
      model.id === currentId,
      features.engines.get(model.engine)?.runsOn,
    ),
    model,
  }));
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  return picked?.model;
}
