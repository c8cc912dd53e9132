import * as vscode from 'vscode';
import type { ModelPurpose } from '@jan/core';
import { displayText } from '../display-text';
import { configuredModel, saveModelSetting } from '../settings';
import { pickInstalledModel, pickModel, reportError, useModel, type ModelFeatures } from './model-actions';

const TITLES: Record<ModelPurpose, string> = {
  chat: 'Jan: Select Chat Model',
  completion: 'Jan: Select Completion Model',
};

export async function selectModelCommand(features: ModelFeatures, role: ModelPurpose): Promise<void> {
  try {
    const model = await pickModel(features, TITLES[role], configuredModel(role));
    if (model) await useModel(features, role, model);
  } catch (error) {
    reportError(features, 'Could not select a model', error);
  }
}

/** Unloads every loaded model of every engine, freeing their memory. */
export async function unloadModelCommand(features: ModelFeatures): Promise<void> {
  const loaded = features.engines.all().filter((engine) => engine.status().state !== 'idle' && engine.status().modelId);
  if (loaded.length === 0) {
    void vscode.window.showInformationMessage('No model is loaded.');
    return;
  }
  for (const engine of loaded) {
    try {
      await engine.unload();
      void vscode.window.setStatusBarMessage(`Jan: unloaded the ${engine.displayName} models`, 3000);
    } catch (error) {
      reportError(features, `Could not unload the ${engine.displayName} models`, error);
    }
  }
}

export async function deleteModelCommand(features: ModelFeatures): Promise<void> {
  try {
    const model = await pickInstalledModel(features, 'Jan: Delete Model');
    if (!model) return;
    const filePath = features.models.modelFilePath(model);
    const inPlace = await features.models.isReferencedInPlace(model.id);
    const detail = inPlace
      ? `This removes its model.json. The file it uses, ${filePath}, is yours and is kept.`
      : `This removes its folder and the model file ${filePath}.`;
    const confirmed = await vscode.window.showWarningMessage(
      `Delete the model "${displayText(model.name)}"?`,
      { modal: true, detail },
      'Delete',
    );
    if (confirmed !== 'Delete') return;
    await features.models.deleteModel(model.id);
    for (const role of ['chat', 'completion'] as const) {
      if (configuredModel(role) === model.id) await saveModelSetting(role, undefined);
    }
    void vscode.window.setStatusBarMessage(`Jan: deleted ${displayText(model.name)}`, 3000);
  } catch (error) {
    reportError(features, 'Could not delete the model', error);
  }
}
