import * as vscode from 'vscode';
import { errorMessage } from '@jan/core';
import {
  FIM_MODES,
  REMOTE_PRESETS,
  parseDefinition,
  presetById,
  type FimMode,
  type RemoteEngine,
  type RemoteEngineDefinition,
  type RemoteEnginesExtension,
  type RemotePreset,
} from '../../../extensions/remote';
import { engineIdFor, removeUserEngine, saveUserEngine } from './engine-list';
import type { RemoteKeyStore } from './key-store';
import type { WorkspaceServerConsent } from './workspace-consent';

export interface RemoteFeatures {
  remote: RemoteEnginesExtension;
  keys: RemoteKeyStore;
  consent: WorkspaceServerConsent;
  /** Engines from the workspace's settings (not the user's own). */
  fromWorkspace(engineId: string): boolean;
  log: vscode.LogOutputChannel;
}

const FIM_LABELS: Record<FimMode, string> = {
  'completions-suffix': '/completions with suffix (Ollama, OpenAI instruct models)',
  infill: "llama.cpp server's /infill",
  'mistral-fim': "Mistral's /fim/completions (Codestral)",
  'completions-prefix': '/completions with the prefix only (vLLM, LM Studio)',
  'chat-prefix': 'a chat request continuing the prefix (chat-only providers)',
};

function urlProblem(value: string): string | undefined {
  const parsed = parseDefinition({ id: 'probe', name: 'probe', preset: 'custom', baseUrl: value });
  return parsed.ok ? undefined : parsed.error.replace(/^baseUrl/, 'The URL');
}

async function askBaseUrl(value: string, title: string): Promise<string | undefined> {
  const url = await vscode.window.showInputBox({
    title,
    prompt: 'Base URL of the OpenAI-compatible API, up to and including /v1',
    value,
    placeHolder: 'http://gpu-box:8000/v1',
    ignoreFocusOut: true,
    validateInput: (text: string) => urlProblem(text.trim()),
  });
  return url?.trim();
}

async function askKey(preset: RemotePreset | undefined, title: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: preset?.keyRequired ? `API key for ${preset.label}` : 'API key (leave empty if the server needs none)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text: string) =>
      preset?.keyRequired && !text.trim() ? `${preset.label} needs an API key.` : undefined,
  });
}

/** Lists the server's models with the given key: what "Test connection" shows. Throws the engine's message. */
async function probe(
  features: RemoteFeatures,
  definition: RemoteEngineDefinition,
  key: string | undefined,
): Promise<string[]> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Jan: connecting to ${definition.name}…`,
      cancellable: true,
    },
    (_p, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return features.remote
        .probe(definition, key)
        .list(controller.signal)
        .then((models) => models.map((model) => model.name));
    },
  );
}

function modelsText(models: string[]): string {
  if (models.length === 0) return 'it lists no models';
  const shown = models.slice(0, 8).join(', ');
  return `${models.length} model${models.length === 1 ? '' : 's'}: ${shown}${models.length > 8 ? ', …' : ''}`;
}

/** Jan: Add Remote Engine…: preset, URL, name, key; tested before it is saved. */
export async function addRemoteEngineCommand(features: RemoteFeatures): Promise<void> {
  const title = 'Jan: Add Remote Engine';
  const picked = await vscode.window.showQuickPick(
    REMOTE_PRESETS.map((preset) => ({ label: preset.label, description: preset.baseUrl, preset })),
    { title, placeHolder: 'What kind of server?' },
  );
  if (!picked) return;
  const preset = picked.preset;
  const baseUrl = await askBaseUrl(preset.baseUrl, title);
  if (!baseUrl) return;
  const defaultName =
    preset.id === 'custom' || preset.id === 'openai-compatible' ? new URL(baseUrl).host : preset.label;
  const name = (
    await vscode.window.showInputBox({
      title,
      prompt: 'A name for this engine',
      value: defaultName,
      ignoreFocusOut: true,
    })
  )?.trim();
  if (!name) return;
  const key = await askKey(preset, title);
  if (key === undefined) return;
  const parsed = parseDefinition({
    id: engineIdFor(
      name,
      features.remote.engines().map((engine) => engine.id),
    ),
    name,
    preset: preset.id,
    baseUrl,
  });
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(`Jan: ${parsed.error}`);
    return;
  }
  const definition = parsed.definition;
  try {
    const models = await probe(features, definition, key || undefined);
    void vscode.window.showInformationMessage(`Jan: connected to ${name}; ${modelsText(models)}.`);
  } catch (error) {
    const choice = await vscode.window.showWarningMessage(
      `Jan: ${errorMessage(error)}`,
      { modal: true, detail: 'Save this engine anyway?' },
      'Save Anyway',
    );
    if (choice !== 'Save Anyway') return;
  }
  await features.keys.set(definition.id, key);
  await saveUserEngine(definition);
  features.log.info(`Added the remote engine ${definition.name} (${definition.baseUrl}, ${definition.preset}).`);
  const next = await vscode.window.showInformationMessage(
    `Jan: ${name} was added. Its models are in the model pickers.`,
    'Select Chat Model',
    'Select Completion Model',
  );
  if (next === 'Select Chat Model') await vscode.commands.executeCommand('jan.selectChatModel');
  if (next === 'Select Completion Model') await vscode.commands.executeCommand('jan.selectCompletionModel');
}

async function pickEngine(
  features: RemoteFeatures,
  title: string,
  userOnly: boolean,
): Promise<RemoteEngine | undefined> {
  const engines = features.remote.engines().filter((engine) => !userOnly || !features.fromWorkspace(engine.id));
  if (engines.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'Jan: no remote engine is defined yet.',
      'Add Remote Engine…',
    );
    if (choice) await vscode.commands.executeCommand('jan.addRemoteEngine');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    engines.map((engine) => ({
      label: engine.displayName,
      description: `${engine.definition.baseUrl}${features.fromWorkspace(engine.id) ? ' · from this workspace' : ''}`,
      engine,
    })),
    { title },
  );
  return picked?.engine;
}

/**
 * Jan: Test Remote Engine Connection: lists its models, or says exactly what failed; when the
 * server shows it fills in the middle another way than the engine is set to, offers to switch.
 */
export async function testRemoteEngineCommand(features: RemoteFeatures): Promise<void> {
  const engine = await pickEngine(features, 'Jan: Test Remote Engine Connection', false);
  if (!engine) return;
  let models: string[];
  try {
    models = await probe(features, engine.definition, await features.keys.get(engine.id));
  } catch (error) {
    void vscode.window.showErrorMessage(`Jan: ${errorMessage(error)}`);
    return;
  }
  const detected = await engine.detectFim().catch(() => undefined);
  const text = `Jan: ${engine.displayName} answers; ${modelsText(models)}.`;
  if (!detected || detected === engine.definition.fim || features.fromWorkspace(engine.id)) {
    void vscode.window.showInformationMessage(text);
    return;
  }
  const use = `Use ${detected}`;
  const choice = await vscode.window.showInformationMessage(
    `${text} Its endpoints say inline completion works best with ${FIM_LABELS[detected]}.`,
    use,
  );
  if (choice === use) await saveUserEngine({ ...engine.definition, fim: detected });
}

/** Jan: Edit Remote Engine: URL, name, key, fill-in-the-middle mode, timeout; a workspace's engine: its key and permission. */
export async function editRemoteEngineCommand(features: RemoteFeatures): Promise<void> {
  const title = 'Jan: Edit Remote Engine';
  const engine = await pickEngine(features, title, false);
  if (!engine) return;
  const definition = engine.definition;
  const workspace = features.fromWorkspace(engine.id);
  const fields = [
    { label: 'API key', detail: 'Stored in VS Code SecretStorage', field: 'key' as const },
    ...(workspace
      ? [
          {
            label: 'Ask again before sending code',
            detail: 'Forget the answer given for this workspace',
            field: 'consent' as const,
          },
        ]
      : [
          { label: 'Base URL', detail: definition.baseUrl, field: 'baseUrl' as const },
          { label: 'Name', detail: definition.name, field: 'name' as const },
          { label: 'Fill-in-the-middle', detail: FIM_LABELS[definition.fim], field: 'fim' as const },
          { label: 'Reply timeout', detail: `${definition.timeoutSeconds} s`, field: 'timeout' as const },
        ]),
  ];
  const picked = await vscode.window.showQuickPick(fields, { title: `${title}: ${definition.name}` });
  if (!picked) return;
  const changed: Partial<RemoteEngineDefinition> = {};
  switch (picked.field) {
    case 'key': {
      const key = await askKey(presetById(definition.preset), `${title}: ${definition.name}`);
      if (key === undefined) return;
      await features.keys.set(engine.id, key);
      void vscode.window.setStatusBarMessage(
        `Jan: the API key of ${definition.name} was ${key.trim() ? 'saved' : 'removed'}`,
        3000,
      );
      return;
    }
    case 'consent':
      await features.consent.forget(definition.baseUrl);
      void vscode.window.setStatusBarMessage(`Jan: will ask before sending code to ${definition.name}`, 3000);
      return;
    case 'baseUrl': {
      const url = await askBaseUrl(definition.baseUrl, title);
      if (!url) return;
      changed.baseUrl = url;
      break;
    }
    case 'name': {
      const name = (await vscode.window.showInputBox({ title, prompt: 'Name', value: definition.name }))?.trim();
      if (!name) return;
      changed.name = name;
      break;
    }
    case 'fim': {
      const mode = await vscode.window.showQuickPick(
        FIM_MODES.map((fim) => ({ label: FIM_LABELS[fim], fim, description: fim === definition.fim ? 'current' : '' })),
        { title: 'How this server fills in the middle for inline completion' },
      );
      if (!mode) return;
      changed.fim = mode.fim;
      break;
    }
    case 'timeout': {
      const text = await vscode.window.showInputBox({
        title,
        prompt: 'Seconds a reply may go without text: before it starts (retries included) and between tokens',
        value: String(definition.timeoutSeconds),
        validateInput: (value: string) =>
          /^\d+$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 3600
            ? undefined
            : 'A whole number of seconds, 1 to 3600.',
      });
      if (!text) return;
      changed.timeoutSeconds = Number(text);
      break;
    }
  }
  await saveUserEngine({ ...definition, ...changed });
}

/** Jan: Remove Remote Engine: its settings entry and its key. */
export async function removeRemoteEngineCommand(features: RemoteFeatures): Promise<void> {
  const engine = await pickEngine(features, 'Jan: Remove Remote Engine', true);
  if (!engine) return;
  const confirmed = await vscode.window.showWarningMessage(
    `Remove the remote engine "${engine.displayName}"?`,
    { modal: true, detail: 'Its API key is deleted too. Threads that used its models keep their messages.' },
    'Remove',
  );
  if (confirmed !== 'Remove') return;
  try {
    await removeUserEngine(engine.id);
    await features.keys.delete(engine.id);
    features.log.info(`Removed the remote engine ${engine.displayName}.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Jan: could not remove ${engine.displayName}: ${errorMessage(error)}`);
  }
}
