import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConversationService, JanCore } from '@jan/core';
import { JanAssistantsExtension } from '../../extensions/assistants';
import { JanConversationalExtension } from '../../extensions/conversational';
import { LlamaCppExtension } from '../../extensions/llamacpp';
import { registerChatView } from './chat';
import { registerInlineCompletion } from './completion/inline-provider';
import { createLogger } from './logger';
import { registerModelFeatures } from './models';
import { registerSelectionCommands } from './selection/commands';
import { ProposalStore } from './selection/proposals';
import { chosenModel, engineSettingValues } from './settings';

/** Everything the VS Code adapters share; built once at activation, cheaply. */
export interface JanServices {
  core: JanCore;
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
}

/** Where `.jan` lives: the first workspace folder on disk, or global storage without one. */
export function resolveJanFolder(context: vscode.ExtensionContext): string {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
  return folder ? path.join(folder.uri.fsPath, '.jan') : path.join(context.globalStorageUri.fsPath, '.jan');
}

/** The models folder setting, ignored in an untrusted workspace (it points at files). */
export function resolveModelsFolder(context: vscode.ExtensionContext): string {
  const config = vscode.workspace.getConfiguration('jan');
  const inspected = config.inspect<string>('modelsFolder');
  const value = vscode.workspace.isTrusted ? config.get<string>('modelsFolder') : inspected?.globalValue;
  return value && value.trim() ? value.trim() : path.join(context.globalStorageUri.fsPath, 'models');
}

/**
 * The composition root: builds the core over this workspace's `.jan`, registers the built-in
 * extensions and wires the editor features. Cheap: no model, no worker, no file read happens
 * until the user needs one. Returns the teardown.
 */
export function activateJan(context: vscode.ExtensionContext): () => Promise<void> {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Jan', { log: true });
  context.subscriptions.push(log);
  const core = new JanCore({
    janFolder: resolveJanFolder(context),
    modelsFolder: resolveModelsFolder(context),
    logger: createLogger(log),
  });
  const services: JanServices = { core, context, log };

  const models = registerModelFeatures(services);
  const conversational = new JanConversationalExtension(core.context, {
    commitToGit: vscode.workspace.getConfiguration('jan.threads').get<boolean>('commitToGit', false),
  });
  const assistants = new JanAssistantsExtension(core.context);
  const llamacpp = new LlamaCppExtension(core.context, {
    resolveModel: (id) => models.resolveModel(id),
    listModels: async () => (await models.listModels()).models,
    workerPath: context.asAbsolutePath('dist/llamacpp-worker.mjs'),
  });
  llamacpp.updateSettings(engineSettingValues());
  core.register(conversational, assistants, llamacpp);

  const conversation = new ConversationService({
    conversational,
    assistants,
    engines: core.engines,
    events: core.events,
    logger: core.context.logger,
    defaultModel: () => chosenModel(models, 'chat'),
  });

  const loaded = core.start();
  const proposals = new ProposalStore();
  const chat = registerChatView(services, {
    backend: loaded.then(() => ({ conversational, assistants, models, conversation })),
    proposeEdit: (document, range, replacement, title) => proposals.propose(document, range, replacement, title),
  });
  context.subscriptions.push(
    chat,
    registerSelectionCommands({
      engines: core.engines,
      proposals,
      chatModel: () => chosenModel(models, 'chat'),
      askInChat: (text) => chat.askInChat(text),
    }),
    registerInlineCompletion({
      engines: core.engines,
      logger: core.context.logger,
      completionModel: () => chosenModel(models, 'completion'),
    }),
    vscode.commands.registerCommand('jan.showLog', () => log.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('jan.engine')) llamacpp.updateSettings(engineSettingValues());
    }),
  );

  const ready = loaded.then(
    (failures) => {
      for (const failure of failures) void vscode.window.showErrorMessage(`Jan: the ${failure.name} extension failed to load: ${failure.error}`);
      log.info(`Jan started; data in ${core.context.janFolder}, models in ${core.context.modelsFolder}`);
    },
    (error: unknown) => log.error(`Jan failed to start: ${String(error)}`),
  );
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);

  return async () => {
    await ready;
    await chat.shutdown();
    await core.stop();
  };
}
