/** Core entities turned into what the chat webview shows (src/protocol's views). */
import {
  DEFAULT_ASSISTANT_NAME as CORE_DEFAULT_NAME,
  EngineError,
  StoreError,
  contextOf,
  errorMessage,
  isSpecificModel,
  isTextPart,
  textOf,
  toolStepsOf,
} from '@jan/core';
import type {
  ContextItem,
  EngineErrorCode,
  InferenceEngine,
  InferenceService,
  Model,
  RunsOn,
  ScopedAssistant,
  StoreErrorCode,
  Thread,
  ThreadMessage,
} from '@jan/core';
import {
  CONTEXT_KINDS,
  DEFAULT_ASSISTANT_NAME,
  ERROR_CODES,
  type AttachedContext,
  type ContextChip,
  MAX_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
  type AssistantOption,
  type ChatError,
  type ErrorCode,
  type MessageView,
  type ModelOption,
  type RunsOnView,
  type ThreadSettings,
  type ThreadSummary,
  type ThreadView,
  type ToolStepView,
} from '@jan/protocol';

/** Names and ids from files on disk, cut to what the protocol carries. */
function short(value: string): string {
  return value.slice(0, 1000);
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Fails to compile when the core can raise a code the view does not know (add it to ERROR_CODES). */
type UnknownToTheView = Exclude<EngineErrorCode | StoreErrorCode, ErrorCode>;
const everyCoreCodeIsKnown: [UnknownToTheView] extends [never] ? true : UnknownToTheView = true;
void everyCoreCodeIsKnown;

function errorCode(value: unknown): ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
    ? (value as ErrorCode)
    : 'UNKNOWN';
}

/** An error as the view shows it: engine and store errors keep their code, so the view says what happened. */
export function toChatError(error: unknown): ChatError {
  const code = error instanceof EngineError || error instanceof StoreError ? errorCode(error.code) : 'UNKNOWN';
  return { code, message: errorMessage(error).slice(0, 10_000) };
}

const PART_NAMES: Record<string, string> = {
  image_url: 'image',
  image: 'image',
  tool_call: 'tool call',
  reasoning: 'reasoning',
};

/** What a stored message holds that the view does not render, once per kind, in order. */
function hiddenParts(message: ThreadMessage, steps: number): string[] {
  const names = message.content
    // Tool call parts are drawn as steps when the message has any.
    .filter((part) => !isTextPart(part) && !(steps > 0 && part.type === 'tool_call'))
    .map((part) => PART_NAMES[part.type] ?? part.type.slice(0, 40));
  if (message.role === 'tool') names.unshift('tool result');
  return [...new Set(names)].slice(0, 20);
}

/** `nameOf`: a model id to the name the pickers show, so a model has one name everywhere. */
export function toMessageView(message: ThreadMessage, nameOf: (modelId: string) => string = (id) => id): MessageView {
  const metadata = message.metadata ?? {};
  // A tool's answer is data for the model, not prose for the user: named, not rendered.
  let text = message.role === 'tool' ? '' : textOf(message);
  if (text.length > MAX_TEXT_LENGTH) text = `${text.slice(0, MAX_TEXT_LENGTH - 100)}\n\n[… shortened for display]`;
  const trimmed = metadata.context_trimmed as { dropped_messages?: unknown } | undefined;
  const view: MessageView = {
    id: message.id,
    role: message.role,
    text,
    status: message.status,
    created: finite(message.created) ?? 0,
  };
  const steps = toolStepsOf(message).map(toStepView);
  if (steps.length > 0) view.steps = steps;
  const hidden = hiddenParts(message, steps.length);
  if (hidden.length > 0) view.hidden = hidden;
  if (typeof metadata.model === 'string') view.model = short(nameOf(metadata.model));
  const speed = finite(metadata.tokens_per_second);
  if (speed !== undefined && speed >= 0) view.tokensPerSecond = speed;
  const tokens = finite(metadata.completion_tokens);
  if (tokens !== undefined && tokens >= 0) view.completionTokens = Math.round(tokens);
  const dropped = finite(trimmed?.dropped_messages);
  if (dropped !== undefined && dropped > 0) view.droppedMessages = Math.round(dropped);
  if (message.status === 'ready' && metadata.finish_reason === 'length') view.cutAtLimit = true;
  const context = contextOf(message).map(toContextChip);
  if (context.length) view.context = context;
  if (message.status === 'error') {
    view.error = {
      code: errorCode(metadata.error_code),
      message: (typeof metadata.error === 'string' ? metadata.error : 'The reply failed.').slice(0, 10_000),
    };
  }
  return view;
}

function toStepView(step: ReturnType<typeof toolStepsOf>[number]): ToolStepView {
  const args = step.arguments.length > 4000 ? `${step.arguments.slice(0, 3990)} …` : step.arguments;
  const view: ToolStepView = { id: short(step.id).slice(0, 200), tool: step.name.slice(0, 200), arguments: args };
  if (step.summary) view.summary = step.summary.slice(0, 500);
  if (step.outcome) view.outcome = step.outcome;
  if (step.effect) view.effect = step.effect;
  if (step.source) view.source = step.source.slice(0, 200);
  return view;
}

export function toThreadSummary(thread: Thread): ThreadSummary {
  return { id: thread.id, title: thread.title.slice(0, MAX_TITLE_LENGTH), updated: finite(thread.updated) ?? 0 };
}

/**
 * `fallbackInstructions`: the assistant's, shown when the thread has none of its own; `engine`: the
 * engine of the thread's own model, whose place the header shows even when the model is not listed.
 */
export function toThreadView(thread: Thread, fallbackInstructions = '', engine?: InferenceEngine): ThreadView {
  const info = thread.assistants[0];
  const model = info?.model;
  const settings: ThreadSettings = { instructions: (info?.instructions ?? fallbackInstructions).slice(0, 100_000) };
  const temperature = finite(model?.parameters.temperature);
  const maxTokens = finite(model?.parameters.max_tokens);
  const contextLength = finite(model?.settings.ctx_len);
  if (temperature !== undefined && temperature >= 0 && temperature <= 2) settings.temperature = temperature;
  if (maxTokens !== undefined && Number.isInteger(maxTokens) && maxTokens >= 1) settings.maxTokens = maxTokens;
  if (contextLength !== undefined && Number.isInteger(contextLength) && contextLength >= 256)
    settings.contextLength = contextLength;
  const view: ThreadView = { id: thread.id, title: thread.title.slice(0, MAX_TITLE_LENGTH), settings };
  if (isSpecificModel(model?.id)) view.modelId = short(model.id);
  if (info?.assistant_id) view.assistantId = short(info.assistant_id);
  if (view.modelId && engine) view.runsOn = toRunsOnView(engine.runsOn);
  return view;
}

/** Fails to compile when the core and the view name the default assistant differently. */
const sameDefaultName: typeof CORE_DEFAULT_NAME extends typeof DEFAULT_ASSISTANT_NAME ? true : never = true;
void sameDefaultName;

/** Fails to compile when the core's `RunsOn` and the view's drift apart. */
const sameRunsOn: [RunsOn, RunsOnView] extends [RunsOnView, RunsOn] ? true : never = true;
void sameRunsOn;

function toRunsOnView(runsOn: RunsOn): RunsOnView {
  return runsOn.kind === 'local' ? { kind: 'local' } : { kind: 'remote', host: runsOn.host.slice(0, 300) };
}

export function toModelOption(model: Pick<Model, 'id' | 'name'>, engine: InferenceEngine): ModelOption {
  return {
    id: short(model.id),
    name: short(model.name || model.id),
    engine: short(engine.id),
    runsOn: toRunsOnView(engine.runsOn),
    ...(engine.registeredBy ? { registeredBy: short(engine.registeredBy) } : {}),
  };
}

/** The models the pickers list (the chat header's, the assistant form's), each with where it sends prompts. */
export async function listModelOptions(inference: Pick<InferenceService, 'runnableModels'>): Promise<ModelOption[]> {
  return (await inference.runnableModels()).map(({ model, engine }) => toModelOption(model, engine));
}

export function toAssistantOption({
  assistant,
  scope,
  blocked,
  shadowed,
  offeredBy,
}: ScopedAssistant): AssistantOption {
  const option: AssistantOption = { id: short(assistant.id), name: short(assistant.name || assistant.id), scope };
  const avatar = assistant.avatar?.trim();
  if (avatar && avatar.length <= 16) option.avatar = avatar;
  if (blocked) option.blocked = blocked.slice(0, 10_000);
  if (shadowed) option.shadowed = true;
  if (offeredBy) option.offeredBy = short(offeredBy);
  return option;
}

function toContextChip(item: Pick<ContextItem, 'label' | 'tokens' | 'note'> & { kind: string }): ContextChip {
  const kind = (CONTEXT_KINDS as readonly string[]).includes(item.kind) ? (item.kind as ContextChip['kind']) : 'file';
  const chip: ContextChip = { kind, label: short(item.label), tokens: Math.max(0, Math.round(item.tokens)) };
  if (item.note) chip.note = short(item.note);
  return chip;
}

export function toAttachedContext(id: string, item: ContextItem): AttachedContext {
  return { ...toContextChip(item), id };
}
