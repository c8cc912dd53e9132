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
  InferenceService,
  Logger,
} from '@jan/core';
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
}

/** Workspace files, by path or dropped URI (every other `@` source is read through ContextSourceRegistry). */
export type EditorContextSource = Exclude<ContextSource, { kind: 'registered' }>;

export interface ContextSources {
  /** Workspace files for an `@` query, best first. */
  searchFiles(query: string): Promise<string[]>;
  /** Reads the source on the host; large or binary content is cut or refused with a note, a missing one throws. */
  read(source: EditorContextSource): Promise<ContextItem>;
}
