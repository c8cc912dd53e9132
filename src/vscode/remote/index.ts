import * as vscode from 'vscode';
import { runsOnLabel, type CoreEvents } from '@jan/core';
import type { RemoteEngineSource } from '../../../extensions/remote';
import type { RuntimeOptions } from '../../node/runtime';
import type { JanHost } from '../host';
import type { RemoteFeatures } from './commands';
import { RemoteKeyStore } from './key-store';
import { editorSettings } from '../settings';
import { remoteSources } from './sources';
import { WorkspaceServerConsent } from './workspace-consent';

function readSources(log: vscode.LogOutputChannel): RemoteEngineSource[] {
  const { sources, problems } = remoteSources(editorSettings().levels('jan.remote.engines'));
  for (const problem of problems) log.warn(problem);
  return sources;
}

function workspaceKey(): string {
  return (vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri)?.toString() ?? 'no-workspace';
}

/**
 * An engine whose models are missing from the pickers says so (once until it lists again), with
 * what happened and a way to check it: a silent drop reads as "my models are gone".
 */
async function sayUnlisted(event: CoreEvents['OnEngineUnlisted'], log: vscode.LogOutputChannel): Promise<void> {
  const where = ` (${runsOnLabel(event.runsOn)})`;
  const text = `Jan: the models of ${event.displayName}${where} are not in the model lists: ${event.reason}.`;
  log.warn(text);
  const actions = event.throughServer ? [TEST_CONNECTION, EDIT_ENGINE] : [];
  const choice = await vscode.window.showWarningMessage(text, ...actions);
  if (choice === TEST_CONNECTION) await vscode.commands.executeCommand('jan.testRemoteEngine');
  if (choice === EDIT_ENGINE) await vscode.commands.executeCommand('jan.editRemoteEngine');
}

const TEST_CONNECTION = 'Test Connection';
const EDIT_ENGINE = 'Edit Remote Engine…';

/**
 * Remote engines in VS Code: definitions from `jan.remote.engines` (the workspace's only when
 * trusted), keys from SecretStorage, consent for a workspace's servers off this machine. The
 * runtime options go into JanRuntime; `register` adds the commands and follows setting changes.
 */
export function prepareRemoteEngines(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
  const keys = new RemoteKeyStore(context.secrets);
  const consent = new WorkspaceServerConsent(context.globalState, workspaceKey());
  let sources = readSources(log);
  const runtimeOptions: Pick<RuntimeOptions, 'remoteEngines' | 'remoteApiKey' | 'allowWorkspaceServer'> = {
    remoteEngines: sources,
    remoteApiKey: (engineId) => keys.get(engineId),
    allowWorkspaceServer: (definition) => consent.allow(definition),
  };

  function register(host: JanHost): void {
    const { runtime } = host;
    const refresh = () => {
      sources = readSources(log);
      runtime.updateRemoteEngines(sources);
    };
    const features: RemoteFeatures = {
      remote: runtime.remote,
      engines: runtime.core.engines,
      keys,
      consent,
      fromWorkspace: (engineId) => sources.some((source) => source.definition.id === engineId && source.fromWorkspace),
      log,
    };
    const command = (id: string, run: (commands: typeof import('./commands')) => Promise<void>) =>
      vscode.commands.registerCommand(id, async () => run(await import('./commands')));
    context.subscriptions.push(
      command('jan.addRemoteEngine', (commands) => commands.addRemoteEngineCommand(features)),
      command('jan.editRemoteEngine', (commands) => commands.editRemoteEngineCommand(features)),
      command('jan.testRemoteEngine', (commands) => commands.testRemoteEngineCommand(features)),
      command('jan.removeRemoteEngine', (commands) => commands.removeRemoteEngineCommand(features)),
      // A settings edit, or the workspace becoming trusted (its entries then count).
      runtime.settings.onDidChange(['jan.remote.engines'], refresh),
      runtime.core.events.on('OnEngineUnlisted', (event) => void sayUnlisted(event, log)),
    );
  }

  return { runtimeOptions, register };
}
