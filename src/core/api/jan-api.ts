/**
 * `JanApi` over the runtime's services for one caller: models, inference and threads through the
 * same services the chat view uses, every argument checked, every use recorded, and another
 * VS Code extension's first access to the user's threads asked about (ApiServices.threadAccess).
 */
import type { ChatSession } from '../chat-session';
import type { ConversationService } from '../conversation';
import type { CoreEvents, EventBus } from '../events';
import type { ConversationalExtension } from '../extension-types';
import type { InferenceService } from '../inference';
import type { ModelChoice } from '../model-choice';
import type { ToolCall } from '../types';
import type { ApiCaller, ApiUse } from './caller';
import { JanApiError } from './errors';
import { registrationsFor, type RegistrationDeps } from './registrations';
import {
  argument,
  ChatRequestSchema,
  CompletionRequestSchema,
  EmbeddingRequestSchema,
  MessageTextSchema,
  NewMessageSchema,
  NewThreadSchema,
  ThreadIdSchema,
} from './schemas';
import type { ApiChatResult, ApiEventName, ApiEvents, JanApi, JanThreads, ModelInfo } from './types';
import { JAN_API_VERSION } from './version';

export interface ApiServices extends RegistrationDeps {
  inference: InferenceService;
  conversational: ConversationalExtension;
  conversation: ConversationService;
  events: EventBus;
  /** A chat session of the caller's own (thread listing and creation as the chat view makes them). */
  openSession(): ChatSession;
  /**
   * Whether the caller may read and write the user's threads (VS Code: another extension is asked
   * once, remembered). Absent: every caller may (a Node program is the user's own).
   */
  threadAccess?(caller: ApiCaller): Promise<boolean>;
}

/** Compiles only while each core event carries what the public API promises for it. */
export type CoreEventsKeepApiPromise = Assert<
  { [K in ApiEventName]: CoreEvents[K] extends ApiEvents[K] ? true : false }[ApiEventName]
>;
type Assert<T extends true> = T;

const THREAD_EVENTS: ReadonlySet<ApiEventName> = new Set([
  'OnThreadUpdated',
  'OnThreadDeleted',
  'OnMessageSent',
  'OnMessageUpdate',
]);

export function createJanApi(services: ApiServices, caller: ApiCaller): JanApi {
  const { inference, conversation, activity } = services;
  let session: ChatSession | undefined;
  const chatSession = () => (session ??= services.openSession());
  let creating: Promise<unknown> = Promise.resolve();

  const use = (what: ApiUse) => activity.used(caller, what);
  const allowed = async (): Promise<boolean> => (services.threadAccess ? services.threadAccess(caller) : true);
  const threadsAllowed = async (what: 'threads.read' | 'threads.write') => {
    if (!(await allowed())) {
      use('threads.refused');
      throw new JanApiError('NOT_ALLOWED', `The user has not allowed ${caller.displayName} to use their Jan threads.`);
    }
    use(what);
  };
  const choose = (model: string | undefined, purpose: 'chat' | 'completion'): Promise<ModelChoice> =>
    model ? inference.choiceFor(model) : inference.require(purpose);

  const threads: JanThreads = {
    async list() {
      await threadsAllowed('threads.read');
      return (await chatSession().listThreads()).threads;
    },
    async read(threadId) {
      const id = argument(ThreadIdSchema, threadId, 'threads.read: the thread id');
      await threadsAllowed('threads.read');
      const thread = await services.conversational.getThread(id);
      if (!thread) throw new JanApiError('NOT_FOUND', `Thread ${id} was not found.`);
      return { thread, messages: (await conversation.messages(id)).messages };
    },
    async create(options) {
      const wanted = argument(NewThreadSchema, options, 'threads.create: the options');
      await threadsAllowed('threads.write');
      // The session's pending choice is shared by its creations: one at a time.
      const made = creating.then(async () => {
        const chat = chatSession();
        await chat.startNew();
        if (wanted.assistantId) await chat.chooseAssistant(null, wanted.assistantId);
        if (wanted.model) await chat.chooseModel(null, wanted.model);
        const thread = await chat.createThread();
        return wanted.title ? chat.rename(thread.id, wanted.title) : thread;
      });
      creating = made.catch(() => undefined);
      return made;
    },
    async append(threadId, message) {
      const id = argument(ThreadIdSchema, threadId, 'threads.append: the thread id');
      const checked = argument(NewMessageSchema, message, 'threads.append: the message');
      await threadsAllowed('threads.write');
      return conversation.append(id, checked.role, checked.text);
    },
    async send(threadId, text, options = {}) {
      const id = argument(ThreadIdSchema, threadId, 'threads.send: the thread id');
      const checked = argument(MessageTextSchema, text, 'threads.send: the text');
      await threadsAllowed('threads.write');
      use('chat');
      const stop = () => conversation.stop(id);
      options.signal?.addEventListener('abort', stop, { once: true });
      try {
        return await conversation.send(id, checked);
      } finally {
        options.signal?.removeEventListener('abort', stop);
      }
    },
  };

  return {
    version: JAN_API_VERSION,
    caller,
    ...registrationsFor(services, caller),

    async listModels(): Promise<ModelInfo[]> {
      return (await inference.runnableModels()).map(({ model, engine }) => {
        const owner = activity.ownerOf('engine', engine.id);
        return {
          id: model.id,
          name: model.name,
          engine: engine.id,
          engineName: engine.displayName,
          runsOn: { ...engine.runsOn },
          ...(owner && owner.kind !== 'builtin' ? { registeredBy: owner.displayName } : {}),
        };
      });
    },

    async chat(request, options = {}): Promise<ApiChatResult> {
      const { model, ...rest } = argument(ChatRequestSchema, request, 'chat: the request');
      const choice = await choose(model, 'chat');
      use('chat');
      const result: ApiChatResult = { model: choice.id, text: '', finish_reason: null };
      const calls: ToolCall[] = [];
      for await (const chunk of inference.chat(choice, rest, options.signal)) {
        const choiceDelta = chunk.choices[0];
        const text = choiceDelta?.delta.content;
        if (text) {
          result.text += text;
          options.onText?.(text);
        }
        for (const part of choiceDelta?.delta.tool_calls ?? []) {
          const call = (calls[part.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
          if (part.id) call.id = part.id;
          if (part.function?.name) call.function.name += part.function.name;
          if (part.function?.arguments) call.function.arguments += part.function.arguments;
        }
        if (choiceDelta?.finish_reason) result.finish_reason = choiceDelta.finish_reason;
        if (chunk.usage) {
          const { prompt_tokens, completion_tokens, total_tokens } = chunk.usage;
          result.usage = { prompt_tokens, completion_tokens, total_tokens };
        }
      }
      if (options.signal?.aborted && !result.finish_reason) result.finish_reason = 'abort';
      const made = calls.filter(Boolean);
      if (made.length) result.tool_calls = made;
      return result;
    },

    async complete(request, options = {}) {
      const { model, suffix, ...rest } = argument(CompletionRequestSchema, request, 'complete: the request');
      const choice = await choose(model, 'completion');
      use('completion');
      // The caller's prompt as it is: never cut, refused when it leaves no room (CONTEXT_TOO_LONG).
      return inference.complete(choice, { ...rest, suffix: suffix ?? '', whole_prompt: true }, options.signal);
    },

    async embed(request, options = {}) {
      const { model, input } = argument(EmbeddingRequestSchema, request, 'embed: the request');
      const choice = await inference.choiceFor(model);
      use('embeddings');
      return inference.embed(choice, input, options.signal);
    },

    threads,

    on(event, listener) {
      if (!THREAD_EVENTS.has(event)) return services.events.on(event, (payload) => listener(structuredClone(payload)));
      // Thread events carry the user's messages: delivered once the user allowed it, as copies.
      let permitted = false;
      void allowed().then((answer) => (permitted = answer));
      return services.events.on(event, (payload) => {
        if (permitted) listener(structuredClone(payload));
      });
    },
  };
}
