import * as path from 'node:path';
import * as vscode from 'vscode';
import { adoptModelsFolder } from '../node/models-folder';
import { defaultUserConfigPath } from '../../extensions/mcp';
import { registerMcpCommands } from './mcp/mcp-commands';
import { StateMcpPreferences, VsCodeMcpHost } from './mcp/mcp-host';
import { editorToolPorts } from './agent/tool-ports';
import { JanRuntime } from '../node/runtime';
import { janExtensionApi } from './api/extension-api';
import { registerShowExtensions } from './api/show-extensions';
import { ThreadConsent } from './api/thread-consent';
import { registerAssistantCommands } from './assistants';
import { registerChatView } from './chat';
import { registerInlineCompletion } from './completion/inline-provider';
import type { JanHost } from './host';
import { createLogger, redactingChannel } from './logger';
import { registerModelFeatures } from './models';
import { registerPortability } from './portability';
import { prepareRemoteEngines } from './remote';
import { registerSelectionCommands } from './selection/commands';
import { ProposalStore } from './selection/proposals';
import { registerApiServer } from './server';
import { editorSettings } from './settings';
import { chatMaxTokens, type JanExtensionApi } from '@jan/core';
import { openWalkthroughOnFirstRun } from './walkthrough';
import { registerLanguageModels } from './lm/chat-provider';
import { registerEditorTools } from './lm/editor-tools';

/** Where `.jan` lives: the first workspace folder on disk, or global storage without one. */
export function resolveJanFolder(context: vscode.ExtensionContext): string {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
  return folder ? path.join(folder.uri.fsPath, '.jan') : path.join(context.globalStorageUri.fsPath, '.jan');
}

/**
 * The models folder setting (a restricted workspace's is ignored: it points at files), else the
 * folder every editor flavour and the CLI share (src/node/models-folder.ts), where an earlier
 * version's folder in this editor's own storage is moved once.
 */
export function resolveModelsFolder(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): string {
  const chosen = editorSettings().get('jan.modelsFolder').trim();
  if (chosen) return chosen;
  const { folder, note } = adoptModelsFolder(path.join(context.globalStorageUri.fsPath, 'models'));
  if (note) log.info(note);
  return folder;
}

/**
 * The composition root: builds the runtime (src/node/runtime.ts) over this workspace's `.jan`
 * and wires the editor features to it. Cheap: no model, no worker, no file read happens until
 * the user needs one. Returns the public API (for other extensions) and the teardown.
 */
export function activateJan(context: vscode.ExtensionContext): {
  api: JanExtensionApi;
  teardown: () => Promise<void>;
} {
  const started = performance.now();
  const log = redactingChannel(vscode.window.createOutputChannel('Jan', { log: true }));
  context.subscriptions.push(log);
  const remote = prepareRemoteEngines(context, log);
  const settings = editorSettings();
  const toolPorts = editorToolPorts();
  const mcpConfigPath = defaultUserConfigPath(context.globalStorageUri.fsPath);
  context.subscriptions.push(toolPorts);
  const consent = new ThreadConsent(context.globalState);
  const runtime = new JanRuntime({
    janFolder: resolveJanFolder(context),
    modelsFolder: resolveModelsFolder(context, log),
    logger: createLogger(log),
    workerPath: context.asAbsolutePath('dist/llamacpp-worker.mjs'),
    downloadWorkerPath: context.asAbsolutePath('dist/model-download.mjs'),
    settings,
    userAssistantsFolder: path.join(context.globalStorageUri.fsPath, 'user'),
    backendsFolder: path.join(context.globalStorageUri.fsPath, 'llamacpp-backends'),
    workspaceRoot: vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file')?.uri.fsPath,
    isTrusted: () => vscode.workspace.isTrusted,
    workspaceTools: toolPorts,
    mcp: {
      userConfigPath: mcpConfigPath,
      preferences: new StateMcpPreferences(context.workspaceState),
      host: new VsCodeMcpHost(),
    },
    threadAccess: (caller) => consent.allowed(caller),
    ...remote.runtimeOptions,
  });
  const host: JanHost = { runtime, context, log };
  context.subscriptions.push(registerEditorTools(runtime.core.tools));
  if (runtime.mcp) {
    const workspaceConfig = runtime.workspaceRoot && path.join(runtime.workspaceRoot, '.jan', 'mcp.json');
    context.subscriptions.push(registerMcpCommands(runtime.mcp, mcpConfigPath, workspaceConfig));
  }
  const loaded = runtime.start();
  registerModelFeatures(host, loaded);
  registerAssistantCommands(host);
  remote.register(host);

  registerPortability(host);

  registerApiServer(host, loaded);
  const proposals = new ProposalStore();
  const chat = registerChatView(host, {
    started: loaded,
    proposeEdit: (document, range, replacement, title) => proposals.propose(document, range, replacement, title),
  });
  context.subscriptions.push(
    chat,
    registerSelectionCommands({
      inference: runtime.inference,
      proposals,
      logger: runtime.core.context.logger,
      askInChat: (text) => chat.askInChat(text),
      assistant: async () => (await runtime.assistants.listAssistants()).assistants[0],
    }),
    registerInlineCompletion(runtime.inlineCompletion),
    vscode.commands.registerCommand('jan.showLog', () => log.show()),
    registerShowExtensions(runtime.core.context.activity, consent),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void runtime.assistants.refresh()),
  );

  const languageModels = registerLanguageModels({
    runtime,
    started: loaded,
    logger: runtime.core.context.logger,
    maxTokens: () => chatMaxTokens(settings),
    contextSize: () => settings.get('jan.engine.contextSize'),
  });
  if (languageModels) context.subscriptions.push(languageModels);

  const ready = loaded.then(
    (failures) => {
      for (const failure of failures)
        void vscode.window.showErrorMessage(`Jan: the ${failure.name} extension failed to load: ${failure.error}`);
      log.info(
        `Jan started; data in ${runtime.core.context.janFolder}, models in ${runtime.core.context.modelsFolder}`,
      );
    },
    (error: unknown) => log.error(`Jan failed to start: ${String(error)}`),
  );
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);
  void openWalkthroughOnFirstRun(context).catch((error: unknown) =>
    log.warn(`Getting Started did not open: ${String(error)}`),
  );

  return {
    api: janExtensionApi(runtime),
    teardown: async () => {
      await ready;
      await chat.shutdown();
      await runtime.stop();
    },
  };
}
