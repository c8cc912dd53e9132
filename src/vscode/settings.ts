import * as vscode from 'vscode';
import type { ModelExtension } from '@jan/core';

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

export type ModelRole = 'chat' | 'completion';

/** The model chosen for a role (`jan.chatModel` / `jan.completionModel`) and its engine. */
export async function chosenModel(models: ModelExtension, role: ModelRole): Promise<{ id: string; engine: string } | undefined> {
  const id = vscode.workspace.getConfiguration('jan').get<string>(role === 'chat' ? 'chatModel' : 'completionModel', '').trim();
  if (!id) return undefined;
  const model = await models.getModel(id);
  // A model id whose model.json is gone still names the local engine, which then says clearly
  // that the model was not found, instead of the chat silently claiming no model is chosen.
  return { id, engine: model?.engine ?? 'llamacpp' };
}
