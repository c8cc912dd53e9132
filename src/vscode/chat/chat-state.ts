import * as os from 'node:os';
import { errorMessage, threadModel, type ChatSession, type Thread } from '@jan/core';
import {
  isProtocolId,
  type AssistantOption,
  type ChatState,
  type FirstModel,
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
    private readonly session: ChatSession,
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

  async state(): Promise<ChatState> {
    const { conversation, assistants, inference } = this.services;
    const thread = await this.session.activeThread();
    const [messages, models, assistantPage, threadView] = await Promise.all([
      thread ? this.messages(thread.id) : Promise.resolve([]),
      this.models(),
      assistants.listScoped(),
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
    const pending = this.session.pending;
    if (!thread && pending.modelId) state.pendingModelId = pending.modelId;
    if (!thread && pending.assistantId) state.pendingAssistantId = pending.assistantId;
    return state;
  }

  /** The header of a thread; instructions fall back to its assistant's when the thread has none. */
  async threadView(thread: Thread): Promise<ThreadView> {
    const info = thread.assistants[0];
    let fallback = '';
    if (info && info.instructions === undefined) {
      fallback = (await this.services.assistants.getAssistant(info.assistant_id))?.instructions ?? '';
    }
    const model = threadModel(thread);
    return toThreadView(thread, fallback, model && this.services.inference.engines.get(model.engine));
  }

  /** The stored messages, plus the reply being written and a failed reply that was not stored. */
  async messages(threadId: string): Promise<MessageView[]> {
    const { conversational, conversation } = this.services;
    const page = await conversational.listMessages(threadId);
    for (const warning of page.warnings)
      this.core.logger.warn(`Thread ${threadId}: ${warning.path}: ${warning.message}`);
    if (this.names.size === 0) await this.models();
    const views: MessageView[] = [];
    page.messages.forEach((message, position) => {
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

  async assistants(): Promise<AssistantOption[]> {
    return (await this.services.assistants.listScoped()).entries.map(toAssistantOption);
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
