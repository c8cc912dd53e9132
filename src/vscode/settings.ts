import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import type { ModelPurpose } from '@jan/core';
import { boundCompletionSettings, boundEngineSettings } from './setting-bounds';

/** Warnings already shown in this window: a settings change re-reads every value, not only the new one. */
const shownWarnings = new Set<string>();

/**
 * The `jan.engine.*` settings, as the llama.cpp extension's settings keys expect them, within
 * bounds (setting-bounds.ts); a clamped value is announced once.
 */
export function engineSettingValues(): Record<string, string | number> {
  const config = vscode.workspace.getConfiguration('jan.engine');
  const { values, warnings } = boundEngineSettings(
    {
      threads: config.get<unknown>('threads', 0),
      gpu: config.get<unknown>('gpu', 'auto'),
      contextSize: config.get<unknown>('contextSize', 4096),
      completionContextSize: config.get<unknown>('completionContextSize', 2048),
      idleUnloadMinutes: config.get<unknown>('idleUnloadMinutes', 15),
      transport: config.get<unknown>('transport', 'process'),
    },
    availableParallelism(),
  );
  announce(warnings);
  return values;
}

export interface CompletionSettings {
  enabled: boolean;
  debounceMs: number;
  maxTokens: number;
  minChars: number;
  timeLimitMs: number;
  maxLines: number;
  otherFilesContext: boolean;
}

/** The `jan.inlineCompletion.*` settings, numbers within bounds (setting-bounds.ts); read per request, announced once. */
export function completionSettingValues(): CompletionSettings {
  const config = vscode.workspace.getConfiguration('jan.inlineCompletion');
  const { values, warnings } = boundCompletionSettings({
    debounceMs: config.get<unknown>('debounceMs', 200),
    maxTokens: config.get<unknown>('maxTokens', 96),
    minChars: config.get<unknown>('minChars', 3),
    timeLimitMs: config.get<unknown>('timeLimitMs', 1500),
    maxLines: config.get<unknown>('maxLines', 12),
  });
  announce(warnings);
  return {
    enabled: config.get<boolean>('enabled', true),
    otherFilesContext: config.get<boolean>('otherFilesContext', true),
    ...values,
  };
}

function announce(warnings: string[]): void {
  for (const warning of warnings) {
    if (shownWarnings.has(warning)) continue;
    shownWarnings.add(warning);
    void vscode.window.showWarningMessage(`Jan: ${warning}`);
  }
}

/** `jan.chat.maxTokens`: the longest chat reply when the thread sets none; 0 means no limit. */
export function chatMaxTokens(): number | undefined {
  const value = vscode.workspace.getConfiguration('jan.chat').get<number>('maxTokens', 1024);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

const MODEL_SETTING: Record<ModelPurpose, 'chatModel' | 'completionModel'> = {
  chat: 'chatModel',
  completion: 'completionModel',
};

/** The model id chosen for a purpose (`jan.chatModel` / `jan.completionModel`), or undefined. */
export function configuredModel(purpose: ModelPurpose): string | undefined {
  return vscode.workspace.getConfiguration('jan').get<string>(MODEL_SETTING[purpose])?.trim() || undefined;
}

/** Saves where the user would see it: the workspace when it overrides the user setting there. */
export async function saveModelSetting(purpose: ModelPurpose, id: string | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('jan');
  const workspaceValue = config.inspect<string>(MODEL_SETTING[purpose])?.workspaceValue;
  const target =
    workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(MODEL_SETTING[purpose], id, target);
}
