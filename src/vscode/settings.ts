import * as vscode from 'vscode';
import {
  JanSettings,
  SETTINGS,
  SETTING_KEYS,
  chosenModel,
  completionSettings,
  modelSetting,
  type CompletionSettings,
  type Disposable,
  type ModelPurpose,
  type SettingKey,
  type SettingLevels,
  type SettingsSource,
} from '@jan/core';

export type { CompletionSettings };

/** VS Code's configuration as a source of Jan's settings (src/core/settings/): the levels, trust and changes. */
export class VsCodeSettingsSource implements SettingsSource {
  levels(key: SettingKey): SettingLevels {
    const inspected = vscode.workspace.getConfiguration().inspect(key);
    return { user: inspected?.globalValue, workspace: inspected?.workspaceFolderValue ?? inspected?.workspaceValue };
  }

  isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  onDidChange(listener: (keys: readonly SettingKey[]) => void): Disposable {
    const subscriptions = [
      vscode.workspace.onDidChangeConfiguration((event) => {
        const changed = SETTING_KEYS.filter((key) => event.affectsConfiguration(key));
        if (changed.length) listener(changed);
      }),
      // Trusting the workspace lets its restricted settings apply.
      vscode.workspace.onDidGrantWorkspaceTrust(() =>
        listener(SETTING_KEYS.filter((key) => SETTINGS[key].trust === 'restricted')),
      ),
    ];
    return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
  }
}

let shared: JanSettings | undefined;

/**
 * The editor's settings: VS Code's configuration read through Jan's registry, one instance for the
 * extension (the runtime gets it too). A value out of bounds is announced once, as a warning.
 */
export function editorSettings(): JanSettings {
  shared ??= new JanSettings(new VsCodeSettingsSource(), {
    warn: (message) => void vscode.window.showWarningMessage(`Jan: ${message}`),
  });
  return shared;
}

/** The `jan.inlineCompletion.*` settings, numbers within bounds; read per request. */
export function completionSettingValues(): CompletionSettings {
  return completionSettings(editorSettings());
}

/** The model id chosen for a purpose (`jan.chatModel` / `jan.completionModel`), or undefined. */
export function configuredModel(purpose: ModelPurpose): string | undefined {
  return chosenModel(editorSettings(), purpose);
}

/** Saves where the user would see it: the workspace when it overrides the user setting there. */
export async function saveModelSetting(purpose: ModelPurpose, id: string | undefined): Promise<void> {
  const key = modelSetting(purpose);
  const config = vscode.workspace.getConfiguration();
  const target =
    editorSettings().source.levels(key).workspace !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await config.update(key, id, target);
}
