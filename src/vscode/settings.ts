import * as vscode from 'vscode';
import type { ModelPurpose } from '@jan/core';

/** The `jan.engine.*` settings, as the llama.cpp extension's settings keys expect them. */
export function engineSettingValues(): Record<string, string | number> {
  const config = vscode.workspace.getConfiguration('jan.engine');
  return {
    threads: config.get<number>('threads', 0),
    gpu: config.get<string>('gpu', 'auto'),
    contextSize: config.get<number>('contextSize', 4096),
    idleUnloadMinutes: config.get<number>('idleUnloadMinutes', 15),
    transport: config.get<string>('transport', 'process'),
  };
}

/** `jan.chat.maxTokens`: the longest chat reply when the thread sets none; 0 means no limit. */
export function chatMaxTokens(): number | undefined {
  const value = vscode.workspace.getConfiguration('jan.chat').get<number>('maxTokens', 1024);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

const MODEL_SETTING: Record<ModelPurpose, 'chatModel' | 'completionModel'> = { chat: 'chatModel', completion: 'completionModel' };

/** The model id chosen for a purpose (`jan.chatModel` / `jan.completionModel`), or undefined. */
export function configuredModel(purpose: ModelPurpose): string | undefined {
  return vscode.workspace.getConfiguration('jan').get<string>(MODEL_SETTING[purpose])?.trim() || undefined;
}

/** Saves where the user would see it: the workspace when it overrides the user setting there. */
export async function saveModelSetting(purpose: ModelPurpose, id: string | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('jan');
  const workspaceValue = config.inspect<string>(MODEL_SETTING[purpose])?.workspaceValue;
  const target = workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(MODEL_SETTING[purpose], id, target);
}
