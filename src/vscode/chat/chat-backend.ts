/**
 * What the chat view's controller needs, as interfaces: the runtime's chat services
 * (ChatServices: the session `JanRuntime.openChatSession` built, the conversation, inference),
 * the core's bus and logger (ChatCore) and the editor (ChatHostPort). VS Code provides the port
 * in editor-port.ts; the browser tests provide the same interfaces around the real runtime.
 */
import type {
  ActiveThreadStore,
  ChatSession,
  ContextItem,
  ContextSourceRegistry,
  ConversationService,
  EventBus,
  FileChange,
  InferenceService,
  Logger,
  ToolIdentity,
} from '@jan/core';
import type { RestoreFile } from './agent/checkpoint';
import type { AssistantAction, AssistantRefView, ContextSource, HostAction } from '@jan/protocol';

export interface ChatServices {
  session: ChatSession;
  conversation: ConversationService;
  inference: InferenceService;
}

export interface ChatCore {
  events: EventBus;
  logger: Logger;
  /** The `@` sources extensions registered (registerContextSource), offered beside the editor's own. */
  contextSources: ContextSourceRegistry;
}

export interface ChatHostPort {
  copy(text: string): Promise<void>;
  insertAtCursor(code: string): Promise<void>;
  /** Shows the change as a diff of the active editor that the user accepts or rejects. */
  applyToEditor(code: string, language: string | undefined): Promise<void>;
  /** Opens an already vetted http(s)/mailto URL through the editor's own link handling. */
  openExternal(url: string): Promise<void>;
  runAction(action: HostAction): Promise<void>;
  /** Runs an assistant command (the form, a delete…) for the assistant picked in the view. */
  assistantAction(action: AssistantAction, assistant: AssistantRefView | undefined): Promise<void>;
  /** Where `@` files come from (the other sources are registered: src/vscode/chat/editor-context.ts). */
  readonly context: ContextSources;
  /** The thread the view showed last, kept per workspace. */
  readonly activeThread: ActiveThreadStore;
  /** What agent turns need from the editor: trust, remembered approvals, reverting a checkpoint. */
  readonly agent: AgentHostPort;
}

export interface AgentHostPort {
  /** False in a restricted workspace: no run command, every write asks. */
  isTrusted(): boolean;
  /** A folder is open for the agent's tools to act in. */
  hasWorkspace(): boolean;
  /** "Always for this tool in this workspace" (VS Code: the workspace's state). */
  isAlwaysAllowed(tool: ToolIdentity): boolean;
  rememberAlways(tool: ToolIdentity): Promise<void>;
  /** Shows a proposed change in the editor's diff editor. */
  showDiff(change: FileChange): Promise<void>;
  /** The user reviews the built-in tools' edits after the turn (`jan.agent.reviewEdits: after`), not before each. */
  reviewsEditsAfter(): boolean;
  /**
   * Puts files back as one undoable edit. A file whose text (unsaved editor text included) is no
   * longer `expected` was changed by the user since: it is left alone and named in `conflicts`.
   */
  restore(files: RestoreFile[]): Promise<{ conflicts: string[] }>;
}

/**
 * Workspace files, by path or dropped URI; `@codebase` is searched when its message is sent, and
 * every other `@` source is read through ContextSourceRegistry.
 */
export type EditorContextSource = Exclude<ContextSource, { kind: 'registered' | 'codebase' }>;

export interface ContextSources {
  /** Workspace files for an `@` query, best first. */
  searchFiles(query: string): Promise<string[]>;
  /** Reads the source on the host; large or binary content is cut or refused with a note, a missing one throws. */
  read(source: EditorContextSource): Promise<ContextItem>;
  /** `@codebase`: the workspace's code ranked for the question (the message it is sent with). */
  codebase(question: string): Promise<ContextItem>;
}
