import type { ContextUsage, ConversationApi, TurnResult } from './conversation-api';
import { ContextMeter, tokenCounter, type ContextMeterDeps } from './context-meter';
import { contextPart, type ContextItem } from './context';
import { EngineError } from './engines';
import type { EventBus } from './events';
import type { ConversationalExtension, MessagePage } from './extension-types';
import { newId } from './ids';
import type { Logger } from './logger';
import { errorMessage } from './logger';
import type { ModelChoice } from './model-choice';
import { threadModel } from './thread-assistant';
import { buildChatRequest, instructionsFor } from './conversation-request';
import { logReply } from './reply-log';
import { streamInto, type StreamedReply } from './reply-stream';
import { offerTools } from './agent/offer';
import { DEFAULT_AGENT_LIMITS, type AgentTurnOptions, type AgentUsage } from './agent/types';
import type { ToolRegistry } from './tools';
import { titleFromText, isDefaultTitle } from './thread-title';
import type { TextContentPart, Thread, ThreadMessage } from './types';
import { contextParts, textContent, textOf } from './types';

export interface ConversationDeps extends ContextMeterDeps {
  conversational: ConversationalExtension;
  events: EventBus;
  logger: Logger;
  now?: () => number;
  /** The tools an agent turn may offer (`core.tools`). */
  tools?: ToolRegistry;
  /** False in a restricted workspace (agent turns: no `run` tools, every write asks). */
  isTrusted?: () => boolean;
}

/** How a turn runs: a chat reply, or (with `agent`) an agent turn whose model may call tools. */
export interface TurnOptions {
  agent?: AgentTurnOptions;
}

/**
 * The send flow (docs/ARCHITECTURE.md, "A chat turn"): user message → request → stream → one
 * final save → title.
 */
interface Run {
  controller: AbortController;
  /** `generating` until the reply's text is final, then `saving` (the reply, then the title). */
  phase: 'generating' | 'saving';
  /** The reply as it streams, for a view that opens mid-reply. */
  reply?: ThreadMessage;
  done: Promise<unknown>;
}

export class ConversationService implements ConversationApi {
  private readonly runs = new Map<string, Run>();
  /** A reply that failed before it had text: shown with its error and retry, never stored. */
  private readonly unsaved = new Map<string, ThreadMessage>();
  /** Token counts of stored messages, so fitting a long thread counts each message once. */
  private readonly tokenCache = new Map<string, number>();
  private readonly now: () => number;
  private readonly meter: ContextMeter;

  constructor(private readonly deps: ConversationDeps) {
    this.now = deps.now ?? Date.now;
    this.meter = new ContextMeter(deps);
  }

  /** The reply length a thread without its own `max_tokens` gets. */
  defaultMaxTokens(): number | undefined {
    return this.deps.defaultMaxTokens?.();
  }

  isGenerating(threadId: string): boolean {
    return this.runs.get(threadId)?.phase === 'generating';
  }

  stop(threadId: string): void {
    this.runs.get(threadId)?.controller.abort();
  }

  /** The reply being written in this thread, as far as it got. */
  replyInFlight(threadId: string): ThreadMessage | undefined {
    const run = this.runs.get(threadId);
    return run?.phase === 'generating' ? run.reply : undefined;
  }

  /** The reply that failed in this thread before it had text (it is not in the store). */
  unsavedReply(threadId: string): ThreadMessage | undefined {
    return this.unsaved.get(threadId);
  }

  /**
   * Deletes a message: the unsaved failed reply is forgotten, a stored one removed from the file.
   * `position` (its index in the stored list) picks one line when an id is repeated.
   */
  async deleteMessage(threadId: string, messageId: string, position?: number): Promise<void> {
    if (this.unsaved.get(threadId)?.id === messageId) {
      this.unsaved.delete(threadId);
      return;
    }
    if (this.isGenerating(threadId)) throw new Error('Stop the reply being written before deleting messages.');
    await this.deps.conversational.deleteMessage(threadId, messageId, position);
  }

  /**
   * `context`: what was attached (files, a selection…), stored with the message and read by the
   * model before the text. With `options.agent` the model may call tools (docs/ARCHITECTURE.md, "Agent").
   */
  async send(
    threadId: string,
    text: string,
    context: ContextItem[] = [],
    options: TurnOptions = {},
  ): Promise<TurnResult> {
    if (!text.trim()) throw new Error('The message is empty.');
    return this.exclusive(threadId, async (signal) => {
      const thread = await this.thread(threadId);
      await this.refuseBlockedAssistant(thread);
      const asked = await this.appendUserMessage(threadId, text, context.map(contextPart));
      const agent = options.agent && { ...options.agent, turnId: asked.id, text };
      return this.reply(thread, signal, undefined, { agent });
    });
  }

  /** The thread's stored messages (a line that cannot be read is skipped, with a warning). */
  messages(threadId: string): Promise<MessagePage> {
    return this.deps.conversational.listMessages(threadId);
  }

  async regenerate(threadId: string, assistantMessageId?: string, position?: number): Promise<TurnResult> {
    // Retrying a reply that failed before it was stored is answering the last message again.
    if (assistantMessageId !== undefined && this.unsaved.get(threadId)?.id === assistantMessageId)
      assistantMessageId = undefined;
    return this.exclusive(threadId, async (signal) => {
      const thread = await this.thread(threadId);
      await this.refuseBlockedAssistant(thread);
      const { messages } = await this.deps.conversational.listMessages(threadId);
      // Without an id, only a reply that answers the last user message is replaced; when the last
      // message is the user's (its reply failed and was not stored), it is simply answered again.
      const last = messages.length - 1;
      const at = assistantMessageId
        ? findMessage(messages, assistantMessageId, 'assistant', position)
        : messages[last]?.role === 'assistant'
          ? last
          : -1;
      if (assistantMessageId && at < 0) throw new Error('That reply is no longer in the thread.');
      if (at >= 0) await this.deps.conversational.truncateFrom(threadId, messages[at]!.id, at);
      else if (!messages.some((message) => message.role === 'user')) throw new Error('There is nothing to answer yet.');
      return this.reply(thread, signal, at >= 0 ? messages.slice(0, at) : messages);
    });
  }

  async editAndResend(threadId: string, userMessageId: string, text: string, position?: number): Promise<TurnResult> {
    if (!text.trim()) throw new Error('The message is empty.');
    return this.exclusive(threadId, async (signal) => {
      const thread = await this.thread(threadId);
      await this.refuseBlockedAssistant(thread);
      const { messages } = await this.deps.conversational.listMessages(threadId);
      const at = findMessage(messages, userMessageId, 'user', position);
      if (at < 0) throw new Error('That message is no longer in the thread.');
      const original = messages[at]!;
      await this.deps.conversational.truncateFrom(threadId, userMessageId, at);
      const edited = await this.appendUserMessage(threadId, text, contextParts(original));
      return this.reply(thread, signal, [...messages.slice(0, at), edited]);
    });
  }

  /**
   * Continues the last reply where the token limit cut it (`metadata.finish_reason` is `length`):
   * the model writes on from its last word, into the same stored message.
   */
  async continueReply(threadId: string, messageId: string, position?: number): Promise<TurnResult> {
    return this.exclusive(threadId, async (signal) => {
      const thread = await this.thread(threadId);
      await this.refuseBlockedAssistant(thread);
      const { messages } = await this.deps.conversational.listMessages(threadId);
      const at = findMessage(messages, messageId, 'assistant', position);
      if (at < 0) throw new Error('That reply is no longer in the thread.');
      if (at !== messages.length - 1) throw new Error('Only the last reply can be continued.');
      return this.reply(thread, signal, messages, { continued: { message: messages[at]!, position: at } });
    });
  }

  /**
   * One generation per thread at a time. A request while the last reply is only being saved
   * waits for that (the view already shows the reply done); one while it is written fails.
   */
  private async exclusive(threadId: string, work: (signal: AbortSignal) => Promise<TurnResult>): Promise<TurnResult> {
    for (let current = this.runs.get(threadId); current; current = this.runs.get(threadId)) {
      if (current.phase === 'generating')
        throw new Error('A reply is already being written in this thread. Stop it first.');
      await current.done.catch(() => undefined);
    }
    const controller = new AbortController();
    let finish = (): void => undefined;
    const run: Run = { controller, phase: 'generating', done: new Promise<void>((resolve) => (finish = resolve)) };
    this.runs.set(threadId, run);
    this.unsaved.delete(threadId);
    this.deps.events.emit('OnGenerationChanged', { threadId, generating: true });
    try {
      return await work(controller.signal);
    } finally {
      this.runs.delete(threadId);
      if (run.phase === 'generating') this.deps.events.emit('OnGenerationChanged', { threadId, generating: false });
      finish();
    }
  }

  /** Publishes a change of the reply being written. */
  private update(message: ThreadMessage): void {
    const run = this.runs.get(message.thread_id);
    if (run) run.reply = { ...message };
    this.deps.events.emit('OnMessageUpdate', { ...message });
  }

  private async thread(threadId: string): Promise<Thread> {
    const thread = await this.deps.conversational.getThread(threadId);
    if (!thread) throw new Error(`Thread ${threadId} was not found.`);
    return thread;
  }

  /** A thread whose assistant or instructions a restricted workspace does not allow is not answered (nothing is stored). */
  private async refuseBlockedAssistant(thread: Thread): Promise<void> {
    await instructionsFor(thread, this.deps.assistants);
  }

  /**
   * Stores a message as it is, without asking a model (the public API's `threads.append`: an
   * import, a note). Refused while a reply is being written in the thread, so it never lands
   * between the user's message and the reply.
   */
  async append(threadId: string, role: 'user' | 'assistant', text: string): Promise<ThreadMessage> {
    if (!text.trim()) throw new Error('The message is empty.');
    if (this.runs.has(threadId))
      throw new Error('A reply is being written in this thread. Add messages when it is done.');
    const thread = await this.thread(threadId);
    const assistantId = role === 'assistant' ? thread.assistants[0]?.assistant_id : undefined;
    return this.appendMessage(thread.id, role, text, [], assistantId);
  }

  private appendUserMessage(threadId: string, text: string, context: TextContentPart[] = []): Promise<ThreadMessage> {
    return this.appendMessage(threadId, 'user', text, context);
  }

  private async appendMessage(
    threadId: string,
    role: 'user' | 'assistant',
    text: string,
    context: TextContentPart[],
    assistantId?: string,
  ): Promise<ThreadMessage> {
    const now = this.now();
    const message: ThreadMessage = {
      id: newId(now),
      object: 'thread.message',
      thread_id: threadId,
      ...(assistantId ? { assistant_id: assistantId } : {}),
      role,
      content: [...textContent(text), ...context],
      status: 'ready',
      created: now,
      updated: now,
      created_at: Math.floor(now / 1000),
      completed_at: Math.floor(now / 1000),
      metadata: {},
    };
    const saved = await this.deps.conversational.appendMessage(message);
    this.deps.events.emit('OnMessageSent', saved);
    return saved;
  }

  /** The thread's model when it names one, else the user's chat model. */
  private async chooseModel(thread: Thread): Promise<ModelChoice> {
    return threadModel(thread) ?? this.deps.inference.require('chat');
  }

  /** A new assistant message of the thread, pending, as the view first shows it. */
  private pendingReply(thread: Thread, model?: ModelChoice, now = this.now()): ThreadMessage {
    return {
      id: newId(now),
      object: 'thread.message',
      thread_id: thread.id,
      assistant_id: thread.assistants[0]?.assistant_id,
      role: 'assistant',
      content: textContent(''),
      status: 'pending',
      created: now,
      updated: now,
      created_at: Math.floor(now / 1000),
      metadata: model ? { model: model.id, engine: model.engine } : {},
    };
  }

  /**
   * Streams the assistant's reply into one message, saved once at the end. `known`: the stored
   * messages when the caller has them (after a truncation); otherwise they are read once, after the
   * model is ready, and that one read gives the request, the title, the result and the meter.
   * `how.continued`: the stored reply (the last of `known`) the model writes on, rewritten in place.
   * `how.agent`: an agent turn, which stores each step that called tools as it ends, its answer last.
   */
  private async reply(
    thread: Thread,
    signal: AbortSignal,
    known?: ThreadMessage[],
    how: { continued?: ContinuedReply; agent?: AgentReply } = {},
  ): Promise<TurnResult> {
    const { continued, agent } = how;
    const started = this.now();
    let message: ThreadMessage = continued
      ? { ...continued.message, status: 'pending', updated: started, metadata: { ...continued.message.metadata } }
      : this.pendingReply(thread, undefined, started);
    delete message.metadata!.finish_reason;
    this.update(message);
    // A continued reply's text is in the request as the assistant's last turn: the model writes on from it.
    const prefix = continued ? textOf(continued.message) : '';
    let streamed: StreamedReply = { text: '', calls: [], finishReason: null, completionTokens: 0 };
    let history: ThreadMessage[] | undefined = known;
    let agentUsage: AgentUsage | undefined;
    /** Steps of an agent turn, stored as they ended. */
    const steps: ThreadMessage[] = [];
    /** The turn ended right after a stored step (Stop while its tools ran): nothing more to write. */
    let alreadyStored = false;
    try {
      const model = await this.chooseModel(thread);
      message.metadata = { ...message.metadata, model: model.id, engine: model.engine };
      const engine = await this.deps.inference.prepare(model, thread.assistants[0]?.model.settings, signal);
      history ??= (await this.messages(thread.id)).messages;
      if (this.tokenCache.size > 50_000) this.tokenCache.clear();
      const trusted = agent?.trusted ?? this.deps.isTrusted?.() ?? true;
      const offered = agent
        ? await offerTools(this.deps.tools?.all() ?? [], {
            trusted,
            only: agent.tools,
            budgetTokens: agent.limits?.toolTokenBudget ?? DEFAULT_AGENT_LIMITS.toolTokenBudget,
            text: agent.text,
          })
        : undefined;
      for (const { name, reason } of offered?.left ?? [])
        this.deps.logger.info(`Tool ${name} is not offered in thread ${thread.id}: ${reason}.`);
      const built = await buildChatRequest({
        thread,
        history,
        model,
        engine,
        assistants: this.deps.assistants,
        tokenCache: this.tokenCache,
        defaultMaxTokens: this.defaultMaxTokens(),
        tools: offered?.definitions,
        context: thread.assistants[0]
          ? await this.meter.alwaysContext(thread.assistants[0].assistant_id, tokenCounter(model, engine))
          : '',
      });
      if (built.droppedMessages > 0) {
        message.metadata = { ...message.metadata, context_trimmed: { dropped_messages: built.droppedMessages } };
        this.deps.logger.info(
          `Left out ${built.droppedMessages} old message(s) of thread ${thread.id} to fit the context window.`,
        );
      }
      const stream = { now: this.now, update: (changed: ThreadMessage) => this.update(changed) };
      if (agent && offered) {
        // The agent loop's code loads with the first agent turn (docs/ARCHITECTURE.md "Activation").
        const { runAgentTurn } = await import('./agent/agent-turn');
        const turn = await runAgentTurn(
          {
            events: this.deps.events,
            ...stream,
            nextMessage: () => {
              const next = this.pendingReply(thread, model);
              this.update(next);
              return next;
            },
            save: async (step) => {
              const saved = await this.deps.conversational.appendMessage(step);
              steps.push(saved);
              return saved;
            },
          },
          {
            threadId: thread.id,
            turnId: agent.turnId,
            engine,
            model,
            request: built.request,
            offered,
            message,
            signal,
            options: agent,
            trusted,
            workspaceRoot: this.deps.workspaceRoot,
          },
        );
        streamed = turn.reply;
        agentUsage = turn.result.usage;
        alreadyStored = !turn.message;
        message = turn.message ?? steps[steps.length - 1]!;
        if (!alreadyStored)
          message.metadata = { ...message.metadata, agent: { stop_reason: turn.result.reason, ...agentUsage } };
      } else streamed = await streamInto(message, engine.chat(built.request, signal), signal, { ...stream, prefix });
      if (!alreadyStored) message.status = signal.aborted ? 'stopped' : 'ready';
      // Cut by the token limit: the view says so and offers Continue (continueReply).
      if (!alreadyStored && message.status === 'ready' && streamed.finishReason === 'length')
        message.metadata = { ...message.metadata, finish_reason: 'length' };
    } catch (error) {
      if (signal.aborted || (error instanceof EngineError && error.code === 'ABORTED')) {
        message.status = 'stopped';
      } else {
        message.status = 'error';
        const code = error instanceof EngineError ? error.code : 'UNKNOWN';
        message.metadata = { ...message.metadata, error: errorMessage(error), error_code: code };
        this.deps.logger.warn(`Reply in thread ${thread.id} failed: ${errorMessage(error)}`);
      }
    }
    const { firstTokenAt, completionTokens, promptTokens, cachedPromptTokens } = streamed;
    const text = textOf(message);
    const finished = this.now();
    if (!alreadyStored) {
      message.content = textContent(text);
      message.updated = finished;
      message.completed_at = Math.floor(finished / 1000);
    }
    if (firstTokenAt !== undefined && !alreadyStored) {
      const seconds = Math.max(finished - firstTokenAt, 1) / 1000;
      message.metadata = {
        ...message.metadata,
        completion_tokens: completionTokens,
        ...(promptTokens !== undefined ? { prompt_tokens: promptTokens } : {}),
        ...(cachedPromptTokens !== undefined ? { cached_prompt_tokens: cachedPromptTokens } : {}),
        tokens_per_second: Math.round((completionTokens / seconds) * 10) / 10,
        time_to_first_token_ms: firstTokenAt - started,
      };
    }
    logReply(this.deps.logger, {
      what: `Reply in thread ${thread.id}`,
      modelId: typeof message.metadata?.model === 'string' ? message.metadata.model : undefined,
      status: message.status === 'stopped' ? 'stopped' : message.status === 'error' ? 'error' : 'ready',
      completionTokens: agentUsage?.completionTokens ?? completionTokens,
      promptTokens: agentUsage?.promptTokens ?? promptTokens,
      cachedPromptTokens: agentUsage ? agentUsage.promptTokens - agentUsage.evaluatedTokens : cachedPromptTokens,
      startedAt: started,
      firstTokenAt,
      finishedAt: finished,
    });
    // The text is final: the view shows it done now, while the reply and the title are saved.
    this.deps.events.emit('OnMessageUpdate', { ...message });
    const run = this.runs.get(thread.id);
    if (run) run.phase = 'saving';
    this.deps.events.emit('OnGenerationChanged', { threadId: thread.id, generating: false });
    // An error with no text is shown in place but not stored: the user's message stays and
    // the reply can be regenerated, without an empty message cluttering the file.
    let saved = message;
    let stored = false;
    if (alreadyStored) steps.pop();
    else if (message.status === 'error' && !text) this.unsaved.set(thread.id, message);
    else {
      try {
        saved = continued
          ? await this.deps.conversational.updateMessage(message, continued.position)
          : await this.deps.conversational.appendMessage(message);
        stored = true;
      } catch (error) {
        this.deps.logger.error(`Could not save the reply in thread ${thread.id}: ${errorMessage(error)}`);
        saved = {
          ...message,
          status: 'error',
          metadata: { ...message.metadata, error: `The reply could not be saved: ${errorMessage(error)}` },
        };
        this.unsaved.set(thread.id, saved);
        this.deps.events.emit('OnMessageUpdate', { ...saved });
      }
    }
    // Read only when the turn failed before reading (a thread deleted meanwhile has none).
    history ??= await this.messages(thread.id).then(
      (page) => page.messages,
      () => [],
    );
    await this.touchThread(thread, history);
    const messages =
      continued && stored
        ? history.with(continued.position, saved)
        : [...history, ...steps, ...(stored || alreadyStored ? [saved] : [])];
    const usage = await this.meter.usageOf(thread, messages).catch((error: unknown) => {
      this.deps.logger.warn(`The context use of thread ${thread.id} could not be measured: ${errorMessage(error)}`);
      return undefined;
    });
    return { reply: saved, messages, ...(usage ? { usage } : {}) };
  }

  /**
   * For the context meter: about how many tokens the next request takes before the new message
   * (instructions, always-in-context files, history) out of the model's context, and the reply's share.
   * Without a thread: a new chat with `assistantId` (else the first assistant).
   */
  async contextUsage(threadId: string | null, assistantId?: string): Promise<ContextUsage> {
    const thread = threadId ? await this.thread(threadId) : undefined;
    return this.meter.usageOf(thread, thread ? (await this.messages(thread.id)).messages : [], assistantId);
  }

  /** Bumps `updated` and gives a new thread a title from its first message (from the history already read). */
  private async touchThread(thread: Thread, history: ThreadMessage[]): Promise<void> {
    try {
      const changes: Partial<Thread> = {};
      if (isDefaultTitle(thread.title)) {
        const first = history.find((message) => message.role === 'user');
        if (first) changes.title = titleFromText(textOf(first));
      }
      const updated = await this.deps.conversational.updateThread(thread.id, changes);
      this.deps.events.emit('OnThreadUpdated', updated);
    } catch (error) {
      this.deps.logger.warn(`Could not update thread ${thread.id}: ${errorMessage(error)}`);
    }
  }
}

/** A stored reply the model writes on, and its place in the thread. */
interface ContinuedReply {
  message: ThreadMessage;
  position: number;
}

/** An agent turn as `reply` runs it: the host's options, the user message it answers and its text. */
type AgentReply = AgentTurnOptions & { turnId: string; text: string };

/** The index of the message with this id and role: the one at `position` when given, else the first. */
function findMessage(messages: ThreadMessage[], id: string, role: ThreadMessage['role'], position?: number): number {
  const matches = (index: number) => messages[index]?.id === id && messages[index].role === role;
  if (position !== undefined) return matches(position) ? position : -1;
  return messages.findIndex((_message, index) => matches(index));
}
