/**
 * The public API (docs/EXTENDING.md): what another VS Code extension gets from Jan's `activate()`
 * (through `connect`) and a Node program from `createJanRuntime` (`jan-vscode/sdk`). Jan's own
 * extensions register through the same calls. Everything a caller passes is checked at run time;
 * a wrong argument is a `JanApiError` naming the field.
 */
import type { AssistantSource } from '../assistant-sources';
import type { ContextSource } from '../context';
import type { TurnResult } from '../conversation-api';
import type { InferenceEngine, RunsOn } from '../engines';
import type { Disposable } from '../events';
import type { JanTool } from '../tools';
import type {
  ChatMessage,
  CompletionResult,
  EmbeddingResult,
  FinishReason,
  Model,
  ResponseFormat,
  Thread,
  ThreadMessage,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../types';
import type { ApiCaller } from './caller';

/** A model an engine lists: an id and a name are enough; the rest of Jan's model.json fields are optional. */
export type EngineModel = Pick<Model, 'id' | 'name'> & Partial<Omit<Model, 'id' | 'name' | 'engine'>>;

/**
 * An inference engine as a caller registers it: the contract Jan's own engines implement
 * (`InferenceEngine`: chat, fill-in-the-middle `complete`, optional `embed`, tools through the
 * chat request), except that `list` may return the short model shape. `id` is
 * `^[a-z0-9][a-z0-9._-]{0,63}$`; `runsOn` is required (every picker shows where prompts go).
 */
export interface JanEngine extends Omit<InferenceEngine, 'list' | 'registeredBy'> {
  list(): Promise<EngineModel[]>;
}

/** A tool for agent turns. `source` is set by Jan to the caller's id (only Jan's own extensions choose it). */
export type JanToolRegistration = Omit<JanTool, 'source'> & { readonly source?: string };

/** The calls that add to Jan; each returns a Disposable that removes exactly what it added. */
export interface JanRegistrations {
  /** An engine whose models appear in every picker (labelled with the caller's name) and run through the one inference path. */
  registerEngine(engine: JanEngine): Disposable;
  /** A tool the agent may offer a model; `write` and `run` tools ask the user first, like Jan's own. */
  registerTool(tool: JanToolRegistration): Disposable;
  /** An `@` source of the chat's context picker. */
  registerContextSource(source: ContextSource): Disposable;
  /** Assistants listed in the chat's assistant picker, under the caller's name. */
  registerAssistantSource(source: AssistantSource): Disposable;
}

/** A model any caller can run, with where it runs and who registered its engine. */
export interface ModelInfo {
  id: string;
  name: string;
  engine: string;
  /** The engine's display name ("llama.cpp", "Demo Engine"). */
  engineName: string;
  runsOn: RunsOn;
  /** The display name of the extension that registered the engine; absent for Jan's own. */
  registeredBy?: string;
}

/** Options of every call that runs a model. */
export interface CallOptions {
  /** Aborting it stops the generation (the text so far is returned with `finish_reason: 'abort'`). */
  signal?: AbortSignal;
}

/** A chat request: OpenAI's fields; `model` omitted: the user's chat model. */
export interface ApiChatRequest {
  model?: string;
  messages: ChatMessage[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  seed?: number;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  response_format?: ResponseFormat;
}

export interface ApiChatResult {
  model: string;
  text: string;
  finish_reason: FinishReason;
  /** The tools the model called (finish reason `tool_calls`). */
  tool_calls?: ToolCall[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Fill-in-the-middle: `model` omitted: the user's completion model. */
export interface ApiCompletionRequest {
  model?: string;
  prefix: string;
  suffix?: string;
  max_tokens?: number;
  temperature?: number;
  stop?: string[];
}

export interface ApiEmbeddingRequest {
  model: string;
  input: string[];
}

export interface NewThread {
  title?: string;
  /** Default: the workspace's default assistant. */
  assistantId?: string;
  /** Default: the assistant's pinned model, else the user's chat model at each turn. */
  model?: string;
}

/** A message stored as it is, without asking a model (an import, a note). */
export interface NewMessage {
  role: 'user' | 'assistant';
  text: string;
}

/**
 * The threads of the workspace's `.jan` folder, through the conversation service (the same
 * writes, locks and events as the chat view). Another VS Code extension is asked for once:
 * the user allows or declines it reading and writing their threads (remembered per extension).
 */
export interface JanThreads {
  /** Every thread, newest first (thread.json only). */
  list(): Promise<Thread[]>;
  read(threadId: string): Promise<{ thread: Thread; messages: ThreadMessage[] }>;
  create(thread?: NewThread): Promise<Thread>;
  append(threadId: string, message: NewMessage): Promise<ThreadMessage>;
  /** A turn: stores `text` as the user's message and the model's reply, as the chat view does. */
  send(threadId: string, text: string, options?: CallOptions): Promise<TurnResult>;
}

/**
 * The events a caller can follow (Jan's names); the thread and message events need the same
 * permission as `threads`. Listeners get copies.
 */
export interface ApiEvents {
  OnThreadUpdated: Thread;
  OnThreadDeleted: { id: string };
  /** A message was stored: the user's, or one added with `threads.append`. */
  OnMessageSent: ThreadMessage;
  /** The reply being written changed (text grew, status changed); the last one has its final status. */
  OnMessageUpdate: ThreadMessage;
  OnModelsChanged: Model[];
  OnEnginesChanged: { engines: string[] };
  OnModelReady: { modelId: string };
  OnModelStopped: { modelId: string };
}
export type ApiEventName = keyof ApiEvents;

export interface JanApi extends JanRegistrations {
  /** `JAN_API_VERSION` of the Jan that answers (semver). */
  readonly version: string;
  /** Who this handle acts for. */
  readonly caller: ApiCaller;
  /** Every model that can run: installed ones and those the registered engines list. */
  listModels(): Promise<ModelInfo[]>;
  /** A chat reply through the one inference path; `onText` hears the text as it streams. */
  chat(request: ApiChatRequest, options?: CallOptions & { onText?(text: string): void }): Promise<ApiChatResult>;
  complete(request: ApiCompletionRequest, options?: CallOptions): Promise<CompletionResult>;
  embed(request: ApiEmbeddingRequest, options?: CallOptions): Promise<EmbeddingResult>;
  readonly threads: JanThreads;
  on<K extends ApiEventName>(event: K, listener: (payload: ApiEvents[K]) => void): Disposable;
}

/**
 * What Jan's `activate()` returns to other VS Code extensions
 * (`vscode.extensions.getExtension('jan-vscode.jan-vscode')?.activate()`).
 */
export interface JanExtensionApi {
  /** `JAN_API_VERSION` of the installed Jan. */
  readonly version: string;
  /**
   * The API acting for the extension `extensionId` (`publisher.name`, as installed): what it
   * registers is labelled with its name, listed in Jan: Show Extensions, and its first use of the
   * user's threads is asked about.
   */
  connect(extensionId: string): JanApi;
}
