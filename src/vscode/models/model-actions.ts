import * as vscode from 'vscode';
import {
  errorMessage,
  runsOnLabel,
  type EngineRegistry,
  type InferenceService,
  type Model,
  type ModelPurpose,
} from '@jan/core';
import { FIT_LABELS, type LlamaCppEngine, type ModelPlan } from '../../../extensions/llamacpp';
import { isCancellation, type JanModelsExtension } from '../../../extensions/models';
import { displayText } from '../display-text';
import { saveModelSetting } from '../settings';
import { wontFitQuestion } from './fit-text';
import { installedItemText, remoteItemText } from './model-items';

export interface ModelFeatures {
  engines: EngineRegistry;
  inference: InferenceService;
  models: JanModelsExtension;
  log: vscode.LogOutputChannel;
  /** The llama.cpp engine, for what only it knows: memory plans, fit, GPU backends. */
  llama?: LlamaCppEngine;
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
        // No settings: model.json's ctx_len is the training context, not a request (extensions/llamacpp/engine.ts).
        await features.inference.prepare({ id: model.id, engine: model.engine }, undefined, controller.signal);
      },
    );
  } catch (error) {
    reportError(features, `Could not load ${displayText(model.name)}`, error);
  }
}

/** Saves the model as the chat or completion model and loads it; a model that won't fit asks first. */
export async function useModel(features: ModelFeatures, role: ModelPurpose, model: Model): Promise<void> {
  if (!(await confirmFit(features, model))) return;
  await saveModelSetting(role, model.id);
  await loadModel(features, model);
}

/** A llama.cpp model's plan with the current settings, without loading it; undefined for other engines or a file that cannot be read. */
export function planOf(features: ModelFeatures, model: Model): Promise<ModelPlan | undefined> {
  if (!features.llama || model.engine !== features.llama.id) return Promise.resolve(undefined);
  return features.llama.plan(model.id).catch((error: unknown) => {
    features.log.warn(`Could not estimate the memory of ${model.id}: ${errorMessage(error)}`);
    return undefined;
  });
}

/** Before loading a model that won't fit: says why and offers what would fit (a smaller context), or loading anyway. */
async function confirmFit(features: ModelFeatures, model: Model): Promise<boolean> {
  const plan = await planOf(features, model);
  if (plan?.fit !== 'wont') return true;
  const question = wontFitQuestion(displayText(model.name), plan);
  const smaller = question.smallerContext && `Use ${question.smallerContext.toLocaleString('en-US')} Tokens`;
  const anyway = 'Load Anyway';
  const choice = await vscode.window.showWarningMessage(
    question.message,
    { modal: true, detail: question.detail },
    ...(smaller ? [smaller, anyway] : [anyway]),
  );
  if (smaller && choice === smaller) {
    // The user's own choice of context, as if typed in the settings (applies to every model).
    await vscode.workspace
      .getConfiguration('jan.engine')
      .update('contextSize', question.smallerContext, vscode.ConfigurationTarget.Global);
    return true;
  }
  return choice === anyway;
}

/**
 * Offers to use a model that was just downloaded or imported, saying whether it fits this machine.
 * A choice does not take the other one away: after "Use for Chat" the notice comes back with "Use
 * for Completion", and each choice is confirmed.
 */
export async function offerToUse(features: ModelFeatures, model: Model, suggested?: ModelPurpose): Promise<void> {
  const actions: Record<string, ModelPurpose> = { 'Use for Chat': 'chat', 'Use for Completion': 'completion' };
  let offered = Object.keys(actions);
  if (suggested === 'completion') offered.reverse();
  const name = displayText(model.name);
  const plan = await planOf(features, model);
  let text = `${name} is ready.${plan ? ` ${FIT_LABELS[plan.fit]}: ${plan.reason}.` : ''}`;
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
  // The plans need the worker: the picker shows as busy until they are in.
  const items = (async () => {
    const plans = new Map(
      await Promise.all(models.map(async (model) => [model.id, await planOf(features, model)] as const)),
    );
    const picks: ModelPick[] = [];
    for (const [engineId, group] of groups) {
      const engine = features.engines.get(engineId);
      picks.push({
        label: `${engine?.displayName ?? engineId} · ${engine ? runsOnLabel(engine.runsOn) : 'no such engine'}`,
        kind: vscode.QuickPickItemKind.Separator,
      });
      for (const model of group) {
        const current = model.id === currentId;
        const text =
          engine?.runsOn.kind === 'remote'
            ? remoteItemText(model, current)
            : installedItemText(
                model,
                features.models.modelFilePath(model),
                current,
                engine?.runsOn,
                plans.get(model.id),
              );
        picks.push({ ...text, model });
      }
    }
    return picks;
  })();
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
  const items = Promise.all(
    models.map(async (model) => ({
      ...installedItemText(
        model,
        features.models.modelFilePath(model),
        model.id === currentId,
        features.engines.get(model.engine)?.runsOn,
        await planOf(features, model),
      ),
      model,
    })),
  );
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  return picked?.model;
}
