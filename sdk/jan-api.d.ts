// The public API of Jan for VS Code (docs/EXTENDING.md). Generated: npm run api-declarations
/** Jan / OpenAI-compatible thread messages, as stored one per line in messages.jsonl. */
export type MessageRole = "system" | "user" | "assistant";
/** A stored message may also be a tool's answer (Jan 0.6): kept and shown, never sent as a turn. */
export type StoredMessageRole = MessageRole | "tool";
/** Jan's MessageStatus: `pending` while streaming, `ready` when complete. */
export type MessageStatus = "ready" | "pending" | "error" | "stopped";
export interface TextAnnotation {
	type: string;
	text?: string;
	[key: string]: unknown;
}
export interface TextContentPart {
	type: "text";
	text: {
		value: string;
		annotations: TextAnnotation[];
	};
}
/**
 * A part this extension does not render (Jan 0.6 `image_url`, `reasoning`, `tool_call`, …): kept
 * as read, shown as "not shown", never sent to a model, and never dropped by an edit.
 */
export interface OtherContentPart {
	type: string;
	[key: string]: unknown;
}
export type MessageContent = TextContentPart | OtherContentPart;
export interface ThreadMessage {
	id: string;
	object: "thread.message";
	thread_id: string;
	assistant_id?: string;
	role: StoredMessageRole;
	content: MessageContent[];
	status: MessageStatus;
	/** Unix milliseconds (Jan 0.4/0.5 wrote ms in `created`/`updated`). */
	created: number;
	updated: number;
	/** Jan 0.6 names, in unix seconds; written alongside the older ones. */
	created_at?: number;
	completed_at?: number;
	metadata?: MessageMetadata;
}
export interface MessageMetadata {
	model?: string;
	engine?: string;
	/** Generation speed of an assistant message. */
	tokens_per_second?: number;
	prompt_tokens?: number;
	completion_tokens?: number;
	/** Prompt tokens the engine found in its KV cache and did not evaluate again. */
	cached_prompt_tokens?: number;
	/** Milliseconds from send to first token. */
	time_to_first_token_ms?: number;
	error?: string;
	[key: string]: unknown;
}
/** Jan model.json (0.4/0.5 format), stored in `<models folder>/<model-id>/model.json`. */
export interface ModelSettings {
	/** Context length in tokens (Jan: `ctx_len`). */
	ctx_len?: number;
	/** Number of layers to offload to the GPU; -1 = as many as fit. */
	ngl?: number;
	/** CPU threads; defaults to the machine's physical cores. */
	cpu_threads?: number;
	/** Prompt template in Jan's syntax; unused when the GGUF carries a chat template. */
	prompt_template?: string;
	/** Path of the GGUF, relative to the model folder or absolute (imported in place). */
	llama_model_path?: string;
	[key: string]: unknown;
}
export interface ModelParameters {
	temperature?: number;
	top_p?: number;
	top_k?: number;
	max_tokens?: number;
	stop?: string[];
	frequency_penalty?: number;
	presence_penalty?: number;
	stream?: boolean;
	[key: string]: unknown;
}
export interface ModelSource {
	filename: string;
	url: string;
}
export interface Model {
	object: "model";
	version: string | number;
	format: "gguf" | "api" | string;
	sources: ModelSource[];
	id: string;
	name: string;
	created: number;
	description: string;
	settings: ModelSettings;
	parameters: ModelParameters;
	metadata: {
		author?: string;
		tags?: string[];
		size?: number;
		sha256?: string;
		[key: string]: unknown;
	};
	/** Engine id that runs this model: `llamacpp` or a remote engine's id. */
	engine: string;
}
/** The model an assistant uses inside one thread (Jan's `ModelInfo`). */
export interface ThreadModelInfo {
	id: string;
	settings: ModelSettings;
	parameters: ModelParameters;
	/** Always written: Jan lost threads when this field went missing. */
	engine: string;
}
export interface ThreadAssistantInfo {
	assistant_id: string;
	assistant_name: string;
	/** Jan 0.6 names, written alongside. */
	id?: string;
	name?: string;
	model: ThreadModelInfo;
	instructions?: string;
}
export interface Thread {
	id: string;
	object: "thread";
	title: string;
	assistants: ThreadAssistantInfo[];
	/** Unix milliseconds. */
	created: number;
	updated: number;
	metadata?: Record<string, unknown>;
}
/**
 * Tools in the engine contract, in OpenAI's shapes (Jan 0.6 stores them the same way): what a
 * request offers, what a reply calls, and how a streamed call arrives in pieces.
 */
/** A JSON Schema (draft 2020-12 subset) as a plain object, e.g. a tool's `parameters`. */
export type JsonSchema = {
	[key: string]: unknown;
};
/** A tool a request offers the model: OpenAI's `tools[].function`. */
export interface ToolDefinition {
	/** `^[A-Za-z0-9_-]{1,64}$`, unique in a request. */
	name: string;
	description: string;
	/** An object schema; arguments are generated (local engines: under a grammar) and checked against it. */
	parameters: JsonSchema;
}
/** A call in an assistant reply: OpenAI's `tool_calls[]`. `arguments` is JSON text. */
export interface ToolCall {
	id: string;
	type: "function";
	function: {
		name: string;
		arguments: string;
	};
}
/** A piece of a streamed call (OpenAI's `delta.tool_calls[]`): id and name first, arguments in pieces. */
export interface ToolCallDelta {
	index: number;
	id?: string;
	type?: "function";
	function?: {
		name?: string;
		arguments?: string;
	};
}
export type ToolChoice = "auto" | "none" | "required" | {
	type: "function";
	function: {
		name: string;
	};
};
/** OpenAI's `response_format`: a JSON answer, free or matching a schema (local engines: a grammar). */
export type ResponseFormat = {
	type: "text";
} | {
	type: "json_object";
} | {
	type: "json_schema";
	json_schema: {
		name: string;
		description?: string;
		schema?: JsonSchema;
		strict?: boolean;
	};
};
/** A turn sent to a model: a tool's answer (`role: 'tool'`) follows the assistant turn that called it. */
export type ChatMessage = {
	role: Exclude<MessageRole, "assistant">;
	content: string;
}
/** An assistant turn; one that called tools has `tool_calls` (its `content` may be empty). */
 | {
	role: "assistant";
	content: string;
	tool_calls?: ToolCall[];
}
/** A tool's answer to the call with `tool_call_id`. */
 | {
	role: "tool";
	content: string;
	tool_call_id: string;
};
export interface ChatCompletionRequest {
	model: string;
	messages: ChatMessage[];
	temperature?: number;
	top_p?: number;
	top_k?: number;
	max_tokens?: number;
	stop?: string[];
	frequency_penalty?: number;
	presence_penalty?: number;
	seed?: number;
	stream?: boolean;
	/**
	 * Opaque key for KV-cache reuse: requests with the same key (a thread id) may continue the
	 * same context sequence so only new tokens are evaluated.
	 */
	session_key?: string;
	/** Tools the model may call; the reply then carries `tool_calls` (finish reason `tool_calls`). */
	tools?: ToolDefinition[];
	tool_choice?: ToolChoice;
	/** A JSON reply: free (`json_object`) or matching a schema (`json_schema`). */
	response_format?: ResponseFormat;
}
export type FinishReason = "stop" | "length" | "tool_calls" | "abort" | "error" | null;
export interface ChatCompletionChunk {
	id: string;
	object: "chat.completion.chunk";
	created: number;
	model: string;
	choices: Array<{
		index: number;
		delta: {
			role?: "assistant";
			content?: string;
			tool_calls?: ToolCallDelta[];
		};
		finish_reason: FinishReason;
	}>;
	/** Sent on the final chunk. */
	usage?: {
		prompt_tokens: number;
		completion_tokens: number;
		total_tokens: number;
		/** OpenAI's field: prompt tokens served from the KV cache instead of being evaluated again. */
		prompt_tokens_details?: {
			cached_tokens: number;
		};
	};
	/** Sent on the final chunk by local engines, with llama.cpp server's names. */
	timings?: ChatCompletionTimings;
}
export interface ChatCompletionTimings {
	/** Prompt tokens evaluated (those not found in the KV cache). */
	prompt_n: number;
	/** From the request to the first generated token. */
	prompt_ms: number;
	predicted_n: number;
	/** From the first generated token to the last. */
	predicted_ms: number;
	predicted_per_second?: number;
	/** Tokens drafted by speculative decoding and checked, and those kept (llama-server's names). */
	draft_n?: number;
	draft_n_accepted?: number;
}
export interface CompletionRequest {
	model?: string;
	prefix: string;
	suffix: string;
	max_tokens?: number;
	temperature?: number;
	top_p?: number;
	seed?: number;
	stop?: string[];
	/** Context from other files, placed before the prefix (the engine budgets it with the prefix and suffix). */
	extra?: string;
	/**
	 * The whole request stops this long after it reaches the engine (prompt evaluation included) and
	 * returns what is ready.
	 */
	time_limit_ms?: number;
	/**
	 * The prompt as a client sent it (the API server): never cut to fit, refused (CONTEXT_TOO_LONG)
	 * when it leaves no room for the reply, and `max_tokens` may use all the room left. Without a
	 * suffix the prefix is continued as plain text. Unset: the editor's budgeted prompt.
	 */
	whole_prompt?: boolean;
	/**
	 * The document's language id and the suggestion's line budget: an engine that stops a streaming
	 * generation itself applies the completion rules with them (`completionStop` over `contextOfPrompt`).
	 */
	language?: string;
	max_lines?: number;
}
export interface CompletionResult {
	text: string;
	finish_reason: FinishReason;
	tokens: number;
	/** Tokens of the prompt as evaluated, and those of them found in the KV cache. */
	prompt_tokens?: number;
	cached_tokens?: number;
}
export interface CompletionOptions {
	/** Called with the text generated so far as it streams; true stops the generation and keeps that text. */
	stopWhen?(text: string): boolean;
}
/** Texts to turn into vectors (OpenAI's /v1/embeddings input, always a list here). */
export interface EmbeddingRequest {
	model: string;
	input: string[];
}
export interface EmbeddingResult {
	/** One vector per input, in the input's order. */
	embeddings: number[][];
	/** Tokens evaluated over all the inputs. */
	prompt_tokens: number;
}
/** Where core and extensions report; the VS Code adapter backs it with a LogOutputChannel. */
export interface Logger {
	debug(message: string, ...args: unknown[]): void;
	info(message: string, ...args: unknown[]): void;
	warn(message: string, ...args: unknown[]): void;
	error(message: string | Error, ...args: unknown[]): void;
}
/** What running a tool may do: `read` runs without asking; `write` and `run` need the user's approval. */
export type ToolEffect = "read" | "write" | "run";
export interface ToolContext {
	signal: AbortSignal;
	/** The call being answered (the model's `tool_calls[].id`). */
	callId: string;
	threadId?: string;
	/** The folder workspace tools act in; tools that need one refuse without it. */
	workspaceRoot?: string;
}
/** A file a tool changed, with its text before and after (null: did not exist / deleted). */
export interface FileChange {
	path: string;
	before: string | null;
	after: string | null;
}
export interface ToolResult {
	/** What the model reads; the agent loop caps and summarises it to fit the context. */
	content: string;
	/** One line for the step view ("12 matches in 4 files"). */
	summary?: string;
	isError?: boolean;
	/** Files changed, so a turn can be shown as a diff and reverted as one checkpoint. */
	changes?: FileChange[];
}
/**
 * A tool the agent can call. Built-in tools, MCP servers' tools, VS Code's `vscode.lm.tools` and
 * other extensions' tools all register this shape in `ToolRegistry`. The caller validates the
 * arguments against `definition.parameters` before `invoke`, and asks for approval first when
 * `effect` is not `read`.
 */
export interface JanTool {
	readonly definition: ToolDefinition;
	readonly effect: ToolEffect;
	/** Who offers it: `jan` (built-in), `mcp:<server>`, `vscode`, or another extension's id. */
	readonly source: string;
	/** For `write` tools: the changes `invoke` would make, so approval can show a diff first. */
	preview?(args: Record<string, unknown>, context: ToolContext): Promise<FileChange[]>;
	invoke(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult>;
}
/**
 * Where an engine runs its models, so every view can say where prompts and code go: on this
 * machine, or to a server's host. A server on this machine (loopback) is local: nothing leaves it.
 */
export type RunsOn = {
	readonly kind: "local";
} | {
	readonly kind: "remote";
	readonly host: string;
};
/** The place of every engine that runs on this machine. */
export declare const ON_THIS_MACHINE: RunsOn;
export type EngineState = "idle" | "loading" | "ready" | "generating" | "error";
export interface EngineStatus {
	state: EngineState;
	modelId?: string;
	/** Tokens per second of the last generation. */
	lastTokensPerSecond?: number;
	/** How the last generation ended (`abort` when it was stopped) and how many tokens it made. */
	lastFinishReason?: FinishReason;
	lastCompletionTokens?: number;
	error?: string;
	/** Where a local engine computes ("CPU", "CUDA", "Vulkan", "Metal") and the model's layers on the GPU of its total. */
	backend?: string;
	gpuLayers?: number;
	totalLayers?: number;
	/** Why the backend is not the one asked for (a GPU backend that failed to load). */
	backendFallback?: string;
}
/**
 * The contract every inference provider implements (close to Jan's `AIEngine`).
 * Local engines load one model at a time per role; remote engines treat load as a no-op.
 */
export interface InferenceEngine {
	/** Engine id written into model.json `engine` and thread.json `model.engine`. */
	readonly id: string;
	readonly displayName: string;
	/**
	 * Where prompts and code go. Required: the pickers, the status bar, the chat header and VS Code's
	 * model list show it, and it must change when the engine's server does (the registry then tells).
	 */
	readonly runsOn: RunsOn;
	/**
	 * True when an HTTP server answers for this engine (a remote engine, possibly pointed at Jan's
	 * own API server on this machine): listing it may wait on that server. Absent: models run in
	 * this process (`InferenceService.listLocalModels` lists only those).
	 */
	readonly throughServer?: boolean;
	/**
	 * The extension or program that registered it through the public API (set by Jan, never by the
	 * engine); absent for Jan's own. The chat's model picker names it.
	 */
	readonly registeredBy?: string;
	/** Models this engine can run. */
	list(): Promise<Model[]>;
	load(modelId: string, settings?: ModelSettings, signal?: AbortSignal): Promise<void>;
	unload(modelId?: string): Promise<void>;
	/** Streams OpenAI-shaped chunks; aborting the signal ends the stream with no further chunk. */
	chat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncIterable<ChatCompletionChunk>;
	/** Fill-in-the-middle completion between a prefix and a suffix. */
	complete(request: CompletionRequest, signal?: AbortSignal, options?: CompletionOptions): Promise<CompletionResult>;
	/** One vector per input text; an engine without it cannot serve /v1/embeddings. */
	embed?(request: EmbeddingRequest, signal?: AbortSignal): Promise<EmbeddingResult>;
	status(): EngineStatus;
	/** Tokens the model would see for this text; used to fit the context window. */
	countTokens?(modelId: string, text: string): Promise<number>;
	/**
	 * Tokens of the prompt the model's chat template renders for these messages (and the
	 * descriptions of `tools`, as the template documents them); used to fit the context window exactly.
	 */
	countChatTokens?(modelId: string, messages: ChatMessage[], tools?: ToolDefinition[]): Promise<number>;
	/** Context length of the loaded model, if one is loaded. */
	contextSize?(modelId: string): number | undefined;
	/**
	 * The model's token ids for a text and the text of each, or its bytes when it holds part of a
	 * character (`special`: with the beginning-of-text token the model expects).
	 */
	tokenize?(modelId: string, text: string, special?: boolean): Promise<{
		tokens: number[];
		pieces: TokenPiece[];
	}>;
	/** The text of token ids; an id outside the model's vocabulary is an INVALID_REQUEST. */
	detokenize?(modelId: string, tokens: number[]): Promise<string>;
	/** The models this engine holds in memory now (a remote engine holds none). */
	loadedModels?(): string[];
}
/** A token's text, or its bytes when they are not a whole character. */
export type TokenPiece = string | number[];
/** Errors an engine throws carry a code the UI turns into an action. */
export type EngineErrorCode = "NO_MODEL" | "MODEL_NOT_FOUND" | "INVALID_MODEL_FILE" | "INSUFFICIENT_MEMORY" | "WORKER_CRASHED" | "ABORTED" | "CONTEXT_TOO_LONG" | "INVALID_REQUEST" | "REMOTE_ERROR" | "UNKNOWN";
export declare class EngineError extends Error {
	readonly code: EngineErrorCode;
	constructor(code: EngineErrorCode, message: string);
}
interface Disposable$1 {
	dispose(): void;
}
/**
 * The version of the public API (`JanApi`, semver). The declarations it publishes are checked in
 * as `sdk/jan-api.d.ts`; `test/unit/api/api-declarations.test.ts` fails when they change while this
 * stays the same (a new optional member: minor; anything removed or narrowed: major).
 */
export declare const JAN_API_VERSION = "1.2.0";
/** Who calls the public API: Jan's own extensions, another VS Code extension, or a Node program. */
export interface ApiCaller {
	/** `jan` for the built-in extensions; an extension's id (`publisher.name`); a program's name. */
	readonly id: string;
	/** Shown beside what it registered ("Demo Engine"). */
	readonly displayName: string;
	/** `extension`: another VS Code extension (asked before it reads threads, listed in Show Extensions). */
	readonly kind: "builtin" | "extension" | "program";
}
/** What a caller can register. */
export type RegistrationKind = "engine" | "tool" | "context source" | "assistant source";
/** What a caller can use, counted per caller (Jan: Show Extensions). */
export type ApiUse = "threads.read" | "threads.write" | "threads.refused" | "chat" | "completion" | "embeddings";
export interface ApiRegistration {
	kind: RegistrationKind;
	/** The engine's, tool's or source's id. */
	id: string;
	label: string;
}
export interface CallerActivity {
	caller: ApiCaller;
	/** What it has registered now (a disposed registration is gone). */
	registrations: ApiRegistration[];
	/** How often it used each part of the API in this session. */
	uses: Partial<Record<ApiUse, number>>;
	/** Unix milliseconds of its last call. */
	lastUsed?: number;
}
/** Why a call of the public API was refused. */
export type JanApiErrorCode = 
/** An argument did not match its type (the message names the field). */
"INVALID_ARGUMENT"
/** Another caller registered this id, or the user declined access to threads. */
 | "CONFLICT" | "NOT_ALLOWED" | "NOT_FOUND";
export declare class JanApiError extends Error {
	readonly code: JanApiErrorCode;
	constructor(code: JanApiErrorCode, message: string);
}
/** An assistant as a source gives it; Jan fills the rest of assistant.json. */
export interface AssistantSpec {
	id: string;
	name: string;
	instructions: string;
	description?: string;
	/** A model id the assistant pins; default: the user's chat model. */
	model?: string;
	avatar?: string;
	/** Sampling defaults of its threads (`temperature`, `top_p`, `max_tokens`, `stop`). */
	parameters?: Record<string, unknown>;
}
export interface AssistantSource {
	/** Unique among assistant sources: `acme.team-prompts`. */
	readonly id: string;
	/** The picker's group ("Acme team prompts"). */
	readonly label: string;
	list(signal: AbortSignal): Promise<AssistantSpec[]>;
}
/** One thing a source offers for what was typed after `@` (a file, a ticket). */
export interface ContextOffer {
	/** What `read` gets back when the user picks it (a path, a ticket id). */
	item: string;
	label: string;
	detail?: string;
}
/** What a source gives the model: a titled text, and why it is shorter than the original, if it is. */
export interface ContextContent {
	label: string;
	text: string;
	note?: string;
}
export interface ContextSource {
	/** Unique: `selection`, `acme.tickets`; stored with each attachment (the chip after a reload). */
	readonly id: string;
	/** The picker's entry ("Current selection"). */
	readonly label: string;
	/** What it attaches ("the code selected in the editor"). */
	readonly description: string;
	/** A codicon name for the picker and the chips (`file`, `git-compare`); default `symbol-misc`. */
	readonly icon?: string;
	/**
	 * Items for what the user typed after `@`. Absent: the source is one entry, offered when its
	 * label or id matches, and read with no item.
	 */
	search?(query: string, signal: AbortSignal): Promise<ContextOffer[]>;
	/** The text for the source, or for one of its offers (`item`). Throw an Error to tell the user why not. */
	read(item: string | undefined, signal: AbortSignal): Promise<ContextContent>;
}
/** The meter's numbers: tokens the next request takes before anything new, of `limit`; `reserve` is kept for the reply. */
export interface ContextUsage {
	used: number;
	limit: number;
	reserve: number;
	/** The context the model was trained on, when its model.json says (the thread settings show "4,096 of 131,072"). */
	trained?: number;
}
/** What a turn ends with, so a caller shows it without reading the thread again. */
export interface TurnResult {
	/** The assistant's reply as it ended: stored, or (a failure before any text) only shown. */
	reply: ThreadMessage;
	/** The thread's stored messages after the turn, the reply included when it was stored. */
	messages: ThreadMessage[];
	/** The meter's numbers for the next turn; undefined when they could not be measured. */
	usage?: ContextUsage;
}
/** A model an engine lists: an id and a name are enough; the rest of Jan's model.json fields are optional. */
export type EngineModel = Pick<Model, "id" | "name"> & Partial<Omit<Model, "id" | "name" | "engine">>;
/**
 * An inference engine as a caller registers it: the contract Jan's own engines implement
 * (`InferenceEngine`: chat, fill-in-the-middle `complete`, optional `embed`, tools through the
 * chat request), except that `list` may return the short model shape. `id` is
 * `^[a-z0-9][a-z0-9._-]{0,63}$`; `runsOn` is required (every picker shows where prompts go).
 */
export interface JanEngine extends Omit<InferenceEngine, "list" | "registeredBy"> {
	list(): Promise<EngineModel[]>;
}
/** A tool for agent turns. `source` is set by Jan to the caller's id (only Jan's own extensions choose it). */
export type JanToolRegistration = Omit<JanTool, "source"> & {
	readonly source?: string;
};
/** The calls that add to Jan; each returns a Disposable that removes exactly what it added. */
export interface JanRegistrations {
	/** An engine whose models appear in every picker (labelled with the caller's name) and run through the one inference path. */
	registerEngine(engine: JanEngine): Disposable$1;
	/** A tool the agent may offer a model; `write` and `run` tools ask the user first, like Jan's own. */
	registerTool(tool: JanToolRegistration): Disposable$1;
	/** An `@` source of the chat's context picker. */
	registerContextSource(source: ContextSource): Disposable$1;
	/** Assistants listed in the chat's assistant picker, under the caller's name. */
	registerAssistantSource(source: AssistantSource): Disposable$1;
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
	usage?: {
		prompt_tokens: number;
		completion_tokens: number;
		total_tokens: number;
	};
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
	role: "user" | "assistant";
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
	read(threadId: string): Promise<{
		thread: Thread;
		messages: ThreadMessage[];
	}>;
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
	OnThreadDeleted: {
		id: string;
	};
	/** A message was stored: the user's, or one added with `threads.append`. */
	OnMessageSent: ThreadMessage;
	/** The reply being written changed (text grew, status changed); the last one has its final status. */
	OnMessageUpdate: ThreadMessage;
	OnModelsChanged: Model[];
	OnEnginesChanged: {
		engines: string[];
	};
	OnModelReady: {
		modelId: string;
	};
	OnModelStopped: {
		modelId: string;
	};
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
	chat(request: ApiChatRequest, options?: CallOptions & {
		onText?(text: string): void;
	}): Promise<ApiChatResult>;
	complete(request: ApiCompletionRequest, options?: CallOptions): Promise<CompletionResult>;
	embed(request: ApiEmbeddingRequest, options?: CallOptions): Promise<EmbeddingResult>;
	readonly threads: JanThreads;
	on<K extends ApiEventName>(event: K, listener: (payload: ApiEvents[K]) => void): Disposable$1;
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
export interface CreateJanRuntimeOptions {
	/** The `.jan` folder whose threads and assistants the program reads and writes. */
	dataFolder: string;
	/** Where models are (`<model-id>/model.json` + GGUF); default: the folder the editor and the CLI share. */
	modelsFolder?: string;
	/**
	 * Jan's settings by key (package.json `contributes.configuration`: `jan.chatModel`,
	 * `jan.engine.contextSize`, `jan.chat.maxTokens`…), bounded like the editor's; the rest keep
	 * their defaults. An unknown key is refused. Models stay loaded until `close()`.
	 */
	settings?: {
		[key: `jan.${string}`]: unknown;
	};
	/** The program's name, as `caller.displayName`; default `Node program`. */
	name?: string;
	/** Where Jan's log lines go; default: warnings and errors to stderr. */
	logger?: Logger;
	/** The folder an assistant's always-in-context files are read from. */
	workspaceRoot?: string;
}
/** The public API over a running runtime; `close()` stops the model worker and unloads everything. */
export interface JanRuntimeHandle extends JanApi {
	close(): Promise<void>;
}
/** Starts Jan's runtime for a program; the llama.cpp worker starts with the first request that needs a model. */
export declare function createJanRuntime(options: CreateJanRuntimeOptions): Promise<JanRuntimeHandle>;

export {
	Disposable$1 as Disposable,
};

export {};
