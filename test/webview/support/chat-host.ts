/**
 * The chat view's host side for the browser tests: the real controller over the real store
 * (threads, assistants, models in a temp folder) and the real conversation service, with the
 * scripted engine and a port that records what the editor was asked to do.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import {
  ATTACHMENT_TOKEN_CAP,
  codebaseContext,
  estimateTokens,
  fencedSelection,
  fileContext,
  fuzzyRank,
  walkFiles,
} from '@jan/core';
import type {
  ActiveThreadStore,
  ContextItem,
  ContextSource as JanContextSource,
  FileChange,
  JanCore,
  Logger,
  SymbolProvider,
  ToolIdentity,
  WorkspaceSearch,
} from '@jan/core';
import type { AssistantAction, AssistantRefView, ContextSource, HostAction, HostMessage } from '@jan/protocol';
import type { ScopedAssistantsExtension } from '../../../extensions/assistants';
import type { JanConversationalExtension } from '../../../extensions/conversational';
import { workingChanges } from '../../../src/node/git-diff';
import { JanRuntime, type RuntimeOptions } from '../../../src/node/runtime';
import { planRestore, type RestoreFile } from '../../../src/vscode/chat/agent/checkpoint';
import type { AgentHostPort, ChatHostPort, ContextSources } from '../../../src/vscode/chat/chat-backend';
import { ChatController, type ChatControllerOptions } from '../../../src/vscode/chat/controller';
import { ScriptedEngine } from '../../support/scripted-engine';
import { testSettings } from '../../support/test-settings';
import { STORIES, TINYSTORIES } from '../../support/test-models';
import { openChatPage, postToPage, type PageServer } from './webview-page';
import type { ThemeName } from './themes';

export type PortCall =
  | { method: 'copy'; text: string }
  | { method: 'insertAtCursor'; code: string }
  | { method: 'applyToEditor'; code: string; language: string | undefined }
  | { method: 'openExternal'; url: string }
  | { method: 'runAction'; action: HostAction }
  | { method: 'assistantAction'; action: AssistantAction; assistant: AssistantRefView | undefined };

/**
 * The editor's side of `@` for the tests: the real file reading of src/core over the host's
 * temp workspace, and a selection the test sets (there is no editor here).
 */
export class WorkspaceContextSources implements ContextSources {
  selection: { path: string; code: string; startLine: number; endLine: number } | undefined;
  root = '';
  /** The runtime's workspace tools' search and symbols (set once the runtime is built). */
  finders: { search: WorkspaceSearch; symbols: SymbolProvider } | undefined;

  async codebase(question: string): Promise<ContextItem> {
    return codebaseContext(question, { root: this.root, ...this.finders! }, async (text) => estimateTokens(text));
  }

  async searchFiles(query: string): Promise<string[]> {
    return fuzzyRank(await walkFiles(this.root), query, 50);
  }

  async read(source: Exclude<ContextSource, { kind: 'codebase' }>): Promise<ContextItem> {
    const count = async (text: string) => estimateTokens(text);
    if (source.kind === 'file') return fileContext(this.root, source.path, ATTACHMENT_TOKEN_CAP, count);
    if (source.kind === 'uri')
      return fileContext(this.root, path.relative(this.root, fileURLToPath(source.uri)), ATTACHMENT_TOKEN_CAP, count);
    throw new Error(`Nothing to attach for "${source.kind}" in the test editor.`);
  }

  /**
   * The editor's registered `@` sources as src/vscode/chat/editor-context.ts names them, reading
   * the test's selection and the temp workspace's git diff (open editors and problems have none here).
   */
  editorSources(): JanContextSource[] {
    const none = (what: string) => async (): Promise<never> => {
      throw new Error(`No ${what} in the test editor.`);
    };
    return [
      {
        id: 'selection',
        label: 'Current selection',
        description: 'the code selected in the editor',
        icon: 'list-selection',
        read: async () => {
          if (!this.selection) throw new Error('Select some code in the editor first.');
          const { path: file, code, startLine, endLine } = this.selection;
          const text = fencedSelection({ code, languageId: 'typescript', path: file, startLine, endLine });
          return { label: `Selection in ${file}:${startLine}-${endLine}`, text };
        },
      },
      {
        id: 'editors',
        label: 'Open editors',
        description: 'every file open in the editor',
        icon: 'files',
        read: none('open editors'),
      },
      {
        id: 'problems',
        label: 'Problems',
        description: 'errors and warnings in the current file',
        icon: 'warning',
        read: none('problems'),
      },
      {
        id: 'diff',
        label: 'Git diff',
        description: 'the working changes',
        icon: 'git-compare',
        read: async () => ({ label: 'Git diff (working changes)', text: await workingChanges(this.root) }),
      },
    ];
  }
}

/**
 * The editor's side of agent turns for the tests: trust and "always" in memory, and a revert
 * written to the temp workspace on disk (the editor writes it as one undoable WorkspaceEdit).
 */
export class DiskAgentPort implements AgentHostPort {
  trusted = true;
  /** `jan.agent.reviewEdits`: `after`. */
  editsAfter = false;
  readonly always = new Set<string>();
  /** Changes the user opened in the diff editor. */
  readonly diffs: FileChange[] = [];
  root = '';

  isTrusted(): boolean {
    return this.trusted;
  }
  reviewsEditsAfter(): boolean {
    return this.editsAfter;
  }
  async showDiff(change: FileChange): Promise<void> {
    this.diffs.push(change);
  }
  hasWorkspace(): boolean {
    return this.root !== '';
  }
  isAlwaysAllowed(tool: ToolIdentity): boolean {
    return this.always.has(`${tool.source}/${tool.name}`);
  }
  async rememberAlways(tool: ToolIdentity): Promise<void> {
    this.always.add(`${tool.source}/${tool.name}`);
  }
  async restore(files: RestoreFile[]): Promise<{ conflicts: string[] }> {
    const at = (relative: string) => path.join(this.root, relative);
    const read = async (relative: string) => (existsSync(at(relative)) ? readFileSync(at(relative), 'utf8') : null);
    const { writes, conflicts } = await planRestore(files, read);
    for (const file of writes)
      if (file.text === null) rmSync(at(file.path));
      else writeFileSync(at(file.path), file.text);
    return { conflicts };
  }
}

export class RecordingPort implements ChatHostPort {
  readonly calls: PortCall[] = [];
  readonly context = new WorkspaceContextSources();
  readonly agent = new DiskAgentPort();
  /** The user's chat model, as the setting `jan.chatModel` would give it. */
  defaultModel: string | undefined = 'stories-260k';
  /** The chat's reply length when a thread sets none, as `jan.chat.maxTokens` would give it. */
  defaultMaxTokens: number | undefined = 1024;
  private active: string | undefined;

  async copy(text: string): Promise<void> {
    this.calls.push({ method: 'copy', text });
  }
  async insertAtCursor(code: string): Promise<void> {
    this.calls.push({ method: 'insertAtCursor', code });
  }
  async applyToEditor(code: string, language: string | undefined): Promise<void> {
    this.calls.push({ method: 'applyToEditor', code, language });
  }
  async openExternal(url: string): Promise<void> {
    this.calls.push({ method: 'openExternal', url });
  }
  async runAction(action: HostAction): Promise<void> {
    this.calls.push({ method: 'runAction', action });
  }
  async assistantAction(action: AssistantAction, assistant: AssistantRefView | undefined): Promise<void> {
    this.calls.push({ method: 'assistantAction', action, assistant });
  }
  readonly activeThread: ActiveThreadStore = {
    load: () => this.active,
    save: async (id) => void (this.active = id),
  };
}

export interface ChatHost {
  root: string;
  runtime: JanRuntime;
  core: JanCore;
  engine: ScriptedEngine;
  port: RecordingPort;
  conversational: JanConversationalExtension;
  assistants: ScopedAssistantsExtension;
  controller: ChatController;
  logs: string[];
  /** Opens the chat page connected to this host. */
  open(context: BrowserContext, server: PageServer, theme?: ThemeName): Promise<Page>;
  /** Drops the page's webview and loads a new one, as hiding and showing the view does. */
  reopen(page: Page): Promise<void>;
  /** Resolves when every message sent so far has reached the page. */
  delivered(): Promise<void>;
  dispose(): Promise<void>;
}

/** A model.json for a real GGUF from test/fixtures/models (listed in the picker). */
function writeModel(modelsFolder: string, id: string, name: string, file: string): void {
  const folder = path.join(modelsFolder, id);
  mkdirSync(folder, { recursive: true });
  const model = {
    object: 'model',
    version: '1.0',
    format: 'gguf',
    sources: [{ filename: path.basename(file), url: `file://${file}` }],
    id,
    name,
    created: Date.now(),
    description: 'A tiny story model for tests.',
    settings: { ctx_len: 2048, llama_model_path: file },
    parameters: { temperature: 0 },
    metadata: { author: 'test' },
    engine: 'llamacpp',
  };
  writeFileSync(path.join(folder, 'model.json'), JSON.stringify(model, null, 2));
}

/** What the runtime is given beyond the test's folders (trust, the user's assistants folder). */
export type HostRuntimeOptions = Pick<RuntimeOptions, 'isTrusted'> & {
  /** The assistant new chats start with (`jan.assistants.default`), read at each use. */
  defaultAssistantId?: () => string | undefined;
  userAssistants?: boolean;
};

/** `noModels`: an empty models folder, as on first install. */
export async function createChatHost(
  options: ChatControllerOptions & { noModels?: boolean; undoDeleteMs?: number } = {},
  runtimeOptions: HostRuntimeOptions = {},
): Promise<ChatHost> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jan-chat-host-'));
  const janFolder = path.join(root, '.jan');
  const modelsFolder = path.join(root, 'models');
  if (!options.noModels) {
    writeModel(modelsFolder, 'stories-260k', 'Stories 260K', STORIES);
    writeModel(modelsFolder, 'tinystories-656k', 'TinyStories 656K', TINYSTORIES);
  }

  const logs: string[] = [];
  const record = (level: string) => (message: string) => logs.push(`${level}: ${message}`);
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const port = new RecordingPort();
  port.context.root = root;
  port.agent.root = root;
  const runtime = new JanRuntime({
    janFolder,
    modelsFolder,
    logger,
    // Never started: the scripted engine below takes the llama.cpp engine's place.
    workerPath: path.join(root, 'no-worker.mjs'),
    downloadWorkerPath: path.join(root, 'no-downloads.mjs'),
    settings: testSettings({
      'jan.chatModel': () => port.defaultModel,
      // Undefined there means no limit, which the setting writes as 0.
      'jan.chat.maxTokens': () => port.defaultMaxTokens ?? 0,
      'jan.assistants.default': () => runtimeOptions.defaultAssistantId?.(),
    }),
    workspaceRoot: root,
    isTrusted: runtimeOptions.isTrusted,
    ...(runtimeOptions.userAssistants ? { userAssistantsFolder: path.join(root, 'global', 'user') } : {}),
  });
  await runtime.start();
  port.context.finders = runtime.workspaceTools.environment;
  const engine = new ScriptedEngine({ id: 'llamacpp' });
  engine.reply = 'Hello from the scripted engine.';
  runtime.core.engines.register(engine);
  for (const source of port.context.editorSources()) runtime.core.context.api.registerContextSource(source);
  const core = runtime.core;
  const { conversational, assistants } = runtime;
  // As the extension builds it (src/vscode/chat/index.ts): the runtime's session, conversation and inference.
  const services = {
    session: runtime.openChatSession({ activeThread: port.activeThread, undoDeleteMs: options.undoDeleteMs }),
    conversation: runtime.conversation,
    inference: runtime.inference,
  };
  const controller = new ChatController(Promise.resolve(services), core.context, port, options);

  let chain: Promise<void> = Promise.resolve();
  let detach: (() => void) | undefined;
  const attach = (page: Page) => {
    detach?.();
    detach = controller.attach((message: HostMessage) => {
      chain = chain.then(() => postToPage(page, message)).catch(() => undefined);
    });
  };

  return {
    root,
    runtime,
    core,
    engine,
    port,
    conversational,
    assistants,
    controller,
    logs,
    async open(context, server, theme = 'dark') {
      let opened: Page | undefined;
      const page = await openChatPage(context, server, theme, async (created) => {
        opened = created;
        await created.exposeBinding('__janToHost', (_source, message: unknown) => controller.handle(message));
        attach(created);
      });
      return opened ?? page;
    },
    async reopen(page) {
      attach(page);
      await page.reload();
      await page.waitForFunction(() =>
        (window as unknown as { __janSent: Array<{ type: string }> }).__janSent.some(
          (message) => message.type === 'ready',
        ),
      );
    },
    delivered: () => chain,
    async dispose() {
      detach?.();
      await controller.dispose();
      await runtime.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
