import {
  ConversationService,
  InferenceService,
  InlineCompletionService,
  JanCore,
  type ExtensionFailure,
  type Logger,
  type ModelPurpose,
} from '@jan/core';
import { ScopedAssistantsExtension } from '../../extensions/assistants';
import { JanConversationalExtension } from '../../extensions/conversational';
import { LlamaCppExtension } from '../../extensions/llamacpp';
import { JanModelsExtension } from '../../extensions/models';
import { McpExtension, type McpExtensionOptions } from '../../extensions/mcp';
import { RemoteEnginesExtension, type RemoteEngineDefinition, type RemoteEngineSource } from '../../extensions/remote';
import { WorkspaceToolsExtension, type WorkspaceToolsOptions } from '../../extensions/workspace-tools';

export interface RuntimeOptions {
  /** The `.jan` folder threads and assistants live in. */
  janFolder: string;
  /** The models folder: `<model-id>/model.json` + GGUF. */
  modelsFolder: string;
  logger: Logger;
  /** The bundled llama.cpp worker (dist/llamacpp-worker.mjs). */
  workerPath: string;
  /** The bundled download child (dist/model-download.mjs). */
  downloadWorkerPath: string;
  /** The model id the user chose for a purpose (VS Code: a setting; the CLI: a flag). */
  chosenModelId?: (purpose: ModelPurpose) => string | undefined;
  /** The llama.cpp settings (`threads`, `gpu`, …); values out of range fall back to defaults. */
  engineSettings?: Record<string, string | number>;
  /** Keep `threads/` in git (otherwise `.jan/.gitignore` leaves it out). */
  commitToGit?: boolean;
  /** The folder whose `assistants/` holds the user's own assistants (VS Code: global storage). */
  userAssistantsFolder?: string;
  /** False in a restricted workspace: workspace assistants are listed but not used. */
  isTrusted?: () => boolean;
  /** The assistant this workspace starts new chats with. */
  defaultAssistantId?: () => string | undefined;
  /** The workspace folder files for the model are read from (assistants' context files, attachments). */
  workspaceRoot?: string;
  /** Remote OpenAI-compatible engines (VS Code: the `jan.remote.engines` setting). */
  remoteEngines?: RemoteEngineSource[];
  /** A remote engine's API key by engine id (VS Code: SecretStorage). */
  remoteApiKey?: (engineId: string) => Promise<string | undefined>;
  /** Asked before a workspace-defined server off this machine first receives code (extensions/remote/extension.ts). */
  allowWorkspaceServer?: (definition: RemoteEngineDefinition) => Promise<boolean>;
  /** The longest chat reply, in tokens, when a thread sets none (read at each turn). */
  chatMaxTokens?: () => number | undefined;
  /** The built-in workspace tools' ports and limits (VS Code: its files, terminal, language servers, ripgrep). */
  workspaceTools?: WorkspaceToolsOptions;
  /** MCP servers (the user's config file, preferences, the host's trust and approval); none without it. */
  mcp?: Omit<McpExtensionOptions, 'workspaceRoot'>;
}

/**
 * The Core SDK with every built-in extension and the services on top, for one `.jan` folder
 * and one models folder: what the VS Code extension, the tests, the benches and the CLI run.
 * Building it touches no file and starts no process; `start()` loads the extensions, and the
 * llama.cpp worker starts with the first request that needs a model.
 */
export class JanRuntime {
  readonly core: JanCore;
  readonly conversational: JanConversationalExtension;
  readonly assistants: ScopedAssistantsExtension;
  readonly models: JanModelsExtension;
  readonly llamacpp: LlamaCppExtension;
  readonly remote: RemoteEnginesExtension;
  readonly workspaceTools: WorkspaceToolsExtension;
  readonly mcp: McpExtension | undefined;
  readonly inference: InferenceService;
  readonly conversation: ConversationService;
  readonly inlineCompletion: InlineCompletionService;

  constructor(options: RuntimeOptions) {
    const core = new JanCore({
      janFolder: options.janFolder,
      modelsFolder: options.modelsFolder,
      logger: options.logger,
    });
    this.core = core;
    this.models = new JanModelsExtension(core.context, { downloadWorkerPath: options.downloadWorkerPath });
    this.conversational = new JanConversationalExtension(core.context, { commitToGit: options.commitToGit ?? false });
    this.assistants = new ScopedAssistantsExtension(core.context, {
      userFolder: options.userAssistantsFolder,
      isTrusted: options.isTrusted,
      defaultAssistantId: options.defaultAssistantId,
    });
    this.llamacpp = new LlamaCppExtension(core.context, {
      resolveModel: (id) => this.models.resolveModel(id),
      workerPath: options.workerPath,
    });
    if (options.engineSettings) this.updateEngineSettings(options.engineSettings);
    this.remote = new RemoteEnginesExtension(core.context, {
      apiKey: options.remoteApiKey ?? (async () => undefined),
      allowWorkspaceServer: options.allowWorkspaceServer,
    });
    this.remote.setEngines(options.remoteEngines ?? []);
    this.workspaceTools = new WorkspaceToolsExtension(core.context, options.workspaceTools);
    this.mcp = options.mcp
      ? new McpExtension(core.context, { ...options.mcp, workspaceRoot: options.workspaceRoot })
      : undefined;
    core.register(this.models, this.conversational, this.assistants, this.llamacpp, this.remote, this.workspaceTools);
    if (this.mcp) core.register(this.mcp);

    const chosenModelId = options.chosenModelId ?? (() => undefined);
    this.inference = new InferenceService({
      engines: core.engines,
      events: core.events,
      logger: options.logger,
      models: () => this.models,
      chosenModelId,
    });
    this.conversation = new ConversationService({
      conversational: this.conversational,
      assistants: this.assistants,
      inference: this.inference,
      events: core.events,
      logger: options.logger,
      defaultMaxTokens: options.chatMaxTokens,
      workspaceRoot: options.workspaceRoot,
      defaultContextSize: () => this.llamacpp.getSetting<number>('contextSize', 4096),
      tools: core.tools,
      isTrusted: options.isTrusted,
    });
    this.inlineCompletion = new InlineCompletionService({ inference: this.inference, logger: options.logger });
  }

  /** Loads every extension; the ones that failed are returned (and logged), the rest run. */
  start(): Promise<ExtensionFailure[]> {
    return this.core.start();
  }

  updateEngineSettings(settings: Record<string, string | number>): void {
    this.llamacpp.updateSettings(settings);
  }

  /** Replaces the remote engines; the model pickers list the new set on next use. */
  updateRemoteEngines(sources: RemoteEngineSource[]): void {
    this.remote.setEngines(sources);
    this.inference.refreshModels();
  }

  /** Stops the worker and unloads the extensions. */
  async stop(): Promise<void> {
    this.inference.dispose();
    await this.core.stop();
  }
}
