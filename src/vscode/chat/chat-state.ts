import * as os from 'node:os';
import { errorMessage, threadModel, type ContextUsage, type Thread, type ThreadMessage } from '@jan/core';
import {
  isProtocolId,
  type ChatState,
  type FirstModel,
  type HostMessage,
  type MessageView,
  type ModelOption,
  type ThreadView,
} from '@jan/protocol';
import { estimateMemoryBytes, formatBytes, recommendedChatModel } from '../../../extensions/models';
import type { ChatCore, ChatServices } from './chat-backend';
import { listModelOptions, toAssistantOption, toMessageView, toThreadView } from './views';

/** Reads what the chat view shows from the services: the whole state, a thread's messages, the models. */
export class ChatStateReader {
  /** Model names by id, from the last listing. */
  private names = new Map<string, string>();

  constructor(
    private readonly services: ChatServices,
    private readonly core: ChatCore,
  ) {}

  /** What the view shows when the runtime did not start: the reason, and no chat. */
  static failedStart(this: void, error: unknown): ChatState {
    return {
      thread: null,
      messages: [],
      generating: false,
      models: [],
      assistants: [],
      startupError: errorMessage(error),
    };
  }

  /** `stored`: the open thread's messages when the caller has them (a thread it just created has none). */
  async state(stored?: ThreadMessage[]): Promise<ChatState> {
    const { conversation, session, inference } = this.services;
    const thread = await session.activeThread();
    const [messages, models, assistantPage, threadView] = await Promise.all([
      !thread ? [] : stored ? this.views(thread.id, stored) : this.messages(thread.id),
      this.models(),
      session.assistants(),
      thread ? this.threadView(thread) : Promise.resolve(null),
    ]);
    const state: ChatState = {
      thread: threadView,
      messages,
      generating: thread ? conversation.isGenerating(thread.id) : false,
      models,
      assistants: assistantPage.entries.map(toAssistantOption),
    };
    const defaultModelId = inference.chosenId('chat');
    if (defaultModelId) state.defaultModelId = defaultModelId;
    if (models.length === 0) state.firstModel = firstModel(os.totalmem());
    const defaultMaxTokens = conversation.defaultMaxTokens();
    if (defaultMaxTokens) state.defaultMaxTokens = defaultMaxTokens;
    const pending = session.pending;
    if (!thread && pending.modelId) state.pendingModelId = pending.modelId;
    if (!thread && pending.assistantId) state.pendingAssistantId = pending.assistantId;
    return state;
  }

  /** The header of a thread; instructions fall back to its assistant's when the thread has none. */
  async threadView(thread: Thread): Promise<ThreadView> {
    const info = thread.assistants[0];
    let fallback = '';
    if (info && info.instructions === undefined) {
      fallback = (await this.services.session.assistant(info.assistant_id))?.instructions ?? '';
    }
    const model = threadModel(thread);
    return toThreadView(thread, fallback, model && this.services.inference.engines.get(model.engine));
  }

  /** The stored messages as read now, plus the reply being written and a failed reply that was not stored. */
  async messages(threadId: string): Promise<MessageView[]> {
    const page = await this.services.conversation.messages(threadId);
    for (const warning of page.warnings)
      this.core.logger.warn(`Thread ${threadId}: ${warning.path}: ${warning.message}`);
    return this.views(threadId, page.messages);
  }

  /** `stored` (the thread's messages, e.g. as a turn ended) as the view shows them, with the unstored replies. */
  async views(threadId: string, stored: ThreadMessage[]): Promise<MessageView[]> {
    const { conversation } = this.services;
    if (this.names.size === 0) await this.models();
    const views: MessageView[] = [];
    stored.forEach((message, position) => {
      if (isProtocolId(message.id)) views.push({ ...toMessageView(message, this.nameOf), position });
      else this.core.logger.warn(`Thread ${threadId}: message id ${JSON.stringify(message.id)} cannot be shown.`);
    });
    const ids = new Set(views.map((view) => view.id));
    for (const extra of [conversation.replyInFlight(threadId), conversation.unsavedReply(threadId)]) {
      if (extra && !ids.has(extra.id)) views.push(toMessageView(extra, this.nameOf));
    }
    return views;
  }

  /** The name the pickers show for a model id (the id itself for a model no longer listed). */
  readonly nameOf = (modelId: string): string => this.names.get(modelId) ?? modelId;

  async assistantsMessage(): Promise<Extract<HostMessage, { type: 'assistants' }>> {
    return {
      type: 'assistants',
      assistants: (await this.services.session.assistants()).entries.map(toAssistantOption),
    };
  }

  /** The meter's message for a thread (or the new chat): from a turn's numbers, or measured now. */
  async usage(threadId: string | null, known?: ContextUsage): Promise<Extract<HostMessage, { type: 'contextUsage' }>> {
    const { conversation, session } = this.services;
    const usage = known ?? (await conversation.contextUsage(threadId, session.pending.assistantId));
    const limit = Math.max(1, Math.round(usage.limit));
    return {
      type: 'contextUsage',
      threadId,
      used: Math.round(usage.used),
      limit,
      reserve: Math.round(usage.reserve),
      ...(usage.trained ? { trained: Math.round(usage.trained) } : {}),
    };
  }

  /** The model list with the user's default chat model. */
  async modelsMessage(): Promise<Extract<HostMessage, { type: 'models' }>> {
    const defaultModelId = this.services.inference.chosenId('chat');
    return { type: 'models', models: await this.models(), ...(defaultModelId ? { defaultModelId } : {}) };
  }

  async models(): Promise<ModelOption[]> {
    try {
      const options = await listModelOptions(this.services.inference);
      this.names = new Map(options.map((option) => [option.id, option.name]));
      return options;
    } catch (error) {
      this.core.logger.warn(`Chat view: the models could not be listed: ${errorMessage(error)}`);
      return [];
    }
  }
}

/** The download offered to a user with no model: the catalog's pick for a machine with `totalMemory` bytes. */
export function firstModel(totalMemory: number): FirstModel {
  const entry = recommendedChatModel(totalMemory);
  return {
    name: entry.name,
    download: formatBytes(entry.sizeBytes),
    memory: formatBytes(estimateMemoryBytes(entry)),
    machineMemory: formatBytes(totalMemory),
  };
}
