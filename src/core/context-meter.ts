import { contextRules } from './assistant-config';
import { alwaysInContext, alwaysInContextText, estimateTokens, type TokenCounter } from './context';
import type { ContextUsage } from './conversation-api';
import { conversationTurns, estimateUsage, instructionsFor, replyReserve } from './conversation-request';
import type { InferenceEngine } from './engines';
import type { AssistantExtension } from './extension-types';
import type { InferenceService } from './inference';
import type { ModelChoice } from './model-choice';
import { SETTINGS } from './settings';
import { threadModel } from './thread-assistant';
import type { ChatMessage, Thread, ThreadMessage } from './types';

/** The context the meter assumes before the engine has chosen one (the automatic context is chosen at load). */
const UNKNOWN_CONTEXT = 4096;

export interface ContextMeterDeps {
  assistants?: AssistantExtension;
  /** Chooses the model (the thread's, else the user's chat model) and runs it. */
  inference: InferenceService;
  /** The workspace folder an assistant's always-in-context files are read from; none: they are not read. */
  workspaceRoot?: string;
  /** The context length assumed for the meter before the engine knows the model's (the engine's setting). */
  defaultContextSize?: () => number;
  /** The reply length when the thread sets none (VS Code: `jan.chat.maxTokens`). */
  defaultMaxTokens?: () => number | undefined;
}

/**
 * The context meter of a thread (ConversationService.contextUsage): how much of the model's context
 * the next request takes before the new message, counted by the model when it is loaded; and the
 * assistant's always-in-context files, which both the meter and a turn's prompt include.
 */
export class ContextMeter {
  constructor(private readonly deps: ContextMeterDeps) {}

  /** The meter's numbers for a thread (or a new chat with `assistantId`) whose stored messages are `history`. */
  async usageOf(thread: Thread | undefined, history: ThreadMessage[], assistantId?: string): Promise<ContextUsage> {
    const id =
      thread?.assistants[0]?.assistant_id ??
      assistantId ??
      (await this.deps.assistants?.listAssistants())?.assistants[0]?.id;
    const instructions = thread
      ? await instructionsFor(thread, this.deps.assistants).catch(() => '')
      : ((id && (await this.deps.assistants?.getAssistant(id))?.instructions) ?? '');
    const context = id ? await this.alwaysContext(id, async (text) => estimateTokens(text)) : '';
    const model = await this.modelOf(thread).catch(() => undefined);
    const settings = thread?.assistants[0]?.model;
    let engine: InferenceEngine | undefined;
    try {
      engine = model && this.deps.inference.engine(model);
    } catch {
      engine = undefined;
    }
    const limit =
      (model && engine?.contextSize?.(model.id)) ||
      settings?.settings.ctx_len ||
      (this.deps.defaultContextSize ?? (() => SETTINGS['jan.engine.contextSize'].default))() ||
      // 0: the engine chooses the context when it loads the model; until it says, the meter guesses.
      UNKNOWN_CONTEXT;
    // model.json's ctx_len: for an imported or downloaded model, the context it was trained on (the limit's ceiling).
    const record =
      model && (await this.deps.inference.listModels().catch(() => [])).find((entry) => entry.id === model.id);
    const trained = record?.settings.ctx_len;
    // The reply room the turn will reserve: the thread's limit, else the chat default (`jan.chat.maxTokens`).
    const maxTokens = settings?.parameters.max_tokens ?? (this.deps.defaultMaxTokens?.() || undefined);
    const system = [instructions, context].filter(Boolean).join('\n\n');
    const counted = model && engine ? await countedUsage(engine, model.id, system, history) : undefined;
    return {
      used: counted ?? estimateUsage(history, system),
      limit,
      reserve: replyReserve(limit, maxTokens),
      ...(typeof trained === 'number' && trained >= limit ? { trained } : {}),
    };
  }

  /** The model a turn of the thread runs (its own, else the user's chat model); a new chat's: the chat model. */
  private async modelOf(thread: Thread | undefined): Promise<ModelChoice | undefined> {
    if (!thread) return this.deps.inference.chosen('chat');
    return threadModel(thread) ?? this.deps.inference.require('chat');
  }

  /** The assistant's always-in-context files, read now (an edited file is seen at the next turn). */
  async alwaysContext(assistantId: string, count: TokenCounter): Promise<string> {
    const root = this.deps.workspaceRoot;
    if (!root || !this.deps.assistants) return '';
    const assistant = await this.deps.assistants.getAssistant(assistantId).catch(() => undefined);
    const rules = assistant && contextRules(assistant);
    if (!rules?.files.length) return '';
    return alwaysInContextText(await alwaysInContext(root, rules, count));
  }
}

/** The engine's own token count for the model, else the estimate (about 4 characters a token). */
export function tokenCounter(model: ModelChoice, engine: InferenceEngine): TokenCounter {
  return engine.countTokens ? (text) => engine.countTokens!(model.id, text) : async (text) => estimateTokens(text);
}

/**
 * The prompt's tokens as the model counts them (its tokenizer and chat template) when it is loaded;
 * undefined otherwise (about 4 characters a token is then the estimate): the meter never loads a
 * model, and a 1,085-token prompt must not read as 616.
 */
async function countedUsage(
  engine: InferenceEngine,
  modelId: string,
  system: string,
  history: ThreadMessage[],
): Promise<number | undefined> {
  if (!engine.countChatTokens || engine.contextSize?.(modelId) === undefined) return undefined;
  const messages: ChatMessage[] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...conversationTurns(history),
  ];
  if (messages.length === 0) return 0;
  return engine.countChatTokens(modelId, messages).catch(() => undefined);
}
