import {
  ChatSession,
  createJanApi,
  type ApiCaller,
  type JanApi,
  ConversationService,
  InferenceService,
  InlineCompletionService,
  JanCore,
  JanSettings,
  MemorySettings,
  chatMaxTokens,
  chosenModel,
  engineSettings,
  settingsUnder,
  type ActiveThreadStore,
  type Disposable,
  type EngineRegistry,
  type ToolRegistry,
  type ExtensionFailure,
  type Logger,
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
  /**
   * Jan's settings over the caller's source (VS Code: its configuration; the CLI: its flags); the
   * runtime reads the chosen models, the engine, the reply length, `commitToGit` and the default
   * assistant from it, and follows changes. Default: the registry's defaults.
   */
  settings?: JanSettings;
  /** The folder whose `assistants/` holds the user's own assistants (VS Code: global storage). */
  userAssistantsFolder?: string;
  /** False in a restricted workspace: workspace assistants are listed but not used. */
  isTrusted?: () => boolean;
  /** The workspace folder files for the model are read from (assistants' context files, attachments). */
  workspaceRoot?: string;
  /** Remote OpenAI-compatible engines (VS Code: the `jan.remote.engines` setting). */
  remoteEngines?: RemoteEngineSource[];
  /** A remote engine's API key by engine id (VS Code: SecretStorage). */
  remoteApiKey?: (engineId: string) => Promise<string | undefined>;
  /** Asked before a workspace-defined server off this machine first receives code (extensions/remote/extension.ts). */
  allowWorkspaceServer?: (definition: RemoteEngineDefinition) => Promise<boolean>;
  /**
   * Whether a caller of the public API may read and write the user's threads (VS Code asks about
   * another extension once). Absent: every caller may.
   */
  threadAccess?: (caller: ApiCaller) => Promise<boolean>;
  /** Where GPU backends fetched on demand (CUDA) go (VS Code: global storage); default: the models folder's `.cache`. */
  backendsFolder?: string;
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
  readonly settings: JanSettings;
  readonly conversational: JanConversationalExtension;
  readonly assistants: ScopedAssistantsExtension;
  readonly models: JanModelsExtension;
  readonly llamacpp: LlamaCppExtension;
  readonly remote: RemoteEnginesExtension;
  readonly workspaceTools: WorkspaceToolsExtension;
  readonly mcp: McpExtension | undefined;
  /** The folder agent tools act in (none: they refuse). */
  readonly workspaceRoot: string | undefined;
  readonly inference: InferenceService;
  readonly conversation: ConversationService;
  readonly inlineCompletion: InlineCompletionService;
  private readonly subscriptions: Disposable[];
  private readonly sessions = new Set<ChatSession>();
  private readonly threadAccess: RuntimeOptions['threadAccess'];

  constructor(options: RuntimeOptions) {
    const core = new JanCore({
      janFolder: options.janFolder,
      modelsFolder: options.modelsFolder,
      logger: options.logger,
    });
    this.core = core;
    this.workspaceRoot = options.workspaceRoot;
    const settings =
      options.settings ?? new JanSettings(new MemorySettings(), { warn: (text) => options.logger.warn(text) });
    this.settings = settings;
    this.models = new JanModelsExtension(core.context, { downloadWorkerPath: options.downloadWorkerPath });
    this.conversational = new JanConversationalExtension(core.context, {
      commitToGit: settings.get('jan.threads.commitToGit'),
    });
    this.assistants = new ScopedAssistantsExtension(core.context, {
      userFolder: options.userAssistantsFolder,
      isTrusted: options.isTrusted,
      defaultAssistantId: () => settings.get('jan.assistants.default').trim() || undefined,
    });
    this.llamacpp = new LlamaCppExtension(core.context, {
      resolveModel: (id) => this.models.resolveModel(id),
      workerPath: options.workerPath,
      backendsFolder: options.backendsFolder,
    });
    this.llamacpp.updateSettings(engineSettings(settings));
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

    this.inference = new InferenceService({
      engines: core.engines,
      events: core.events,
      logger: options.logger,
      models: () => this.models,
      chosenModelId: (purpose) => chosenModel(settings, purpose),
    });
    this.conversation = new ConversationService({
      conversational: this.conversational,
      assistants: this.assistants,
      inference: this.inference,
      events: core.events,
      logger: options.logger,
      defaultMaxTokens: () => chatMaxTokens(settings),
      workspaceRoot: options.workspaceRoot,
      defaultContextSize: () => settings.get('jan.engine.contextSize'),
      tools: core.tools,
      isTrusted: options.isTrusted,
    });
    this.inlineCompletion = new InlineCompletionService({ inference: this.inference, logger: options.logger });
    this.threadAccess = options.threadAccess;
    this.subscriptions = [
      settings.onDidChange(settingsUnder('jan.engine'), () => this.llamacpp.updateSettings(engineSettings(settings))),
      settings.onDidChange(['jan.assistants.default'], () => void this.assistants.refresh()),
    ];
  }

  /**
   * A chat without a view (the chat view's, the CLI's, a Node app's): the open thread, choices
   * for a new chat, deletion with an undo window, over this runtime's services. `activeThread`
   * keeps the open thread between sessions (VS Code: workspace state); by default it is not kept.
   * The runtime carries out its pending deletions when it stops.
   */
  openChatSession(options: { activeThread?: ActiveThreadStore; undoDeleteMs?: number } = {}): ChatSession {
    let remembered: string | undefined;
    const session = new ChatSession({
      conversational: this.conversational,
      assistants: this.assistants,
      inference: this.inference,
      conversation: this.conversation,
      logger: this.core.context.logger,
      activeThread: options.activeThread ?? {
        load: () => remembered,
        save: async (threadId) => void (remembered = threadId),
      },
      undoDeleteMs: options.undoDeleteMs,
    });
    this.sessions.add(session);
    return session;
  }

  /**
   * The public API (docs/EXTENDING.md) for one caller, over this runtime's services: what another
   * VS Code extension gets from `connect` and a Node program from `createJanRuntime`.
   */
  api(caller: ApiCaller): JanApi {
    return createJanApi(
      {
        ...this.core.context,
        inference: this.inference,
        conversation: this.conversation,
        conversational: this.conversational,
        openSession: () => this.openChatSession(),
        threadAccess: this.threadAccess,
      },
      caller,
    );
  }

  /** The inference engines by id (each says where it runs); register an engine with `core.context.api`. */
  get engines(): EngineRegistry {
    return this.core.engines;
  }

  /** The tools an agent may offer a model (src/core/tools/); register one here to add a tool. */
  get tools(): ToolRegistry {
    return this.core.tools;
  }

  /** Loads every extension; the ones that failed are returned (and logged), the rest run. */
  start(): Promise<ExtensionFailure[]> {
    return this.core.start();
  }

  /** Replaces the remote engines; the model pickers list the new set on next use. */
  updateRemoteEngines(sources: RemoteEngineSource[]): void {
    this.remote.setEngines(sources);
    this.inference.refreshModels();
  }

  /** Stops the worker and unloads the extensions. */
  async stop(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    await Promise.all([...this.sessions].map((session) => session.dispose()));
    this.sessions.clear();
    this.inference.dispose();
    await this.core.stop();
  }
}
