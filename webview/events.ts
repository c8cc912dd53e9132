/**
 * The events the chat's components send up to the app, each with what it carries: a component
 * emits with `emit`, the app handles every one in a `ChatEventHandlers` map (a new event does not
 * compile until the app handles it, and a detail of the wrong shape does not compile at all).
 */
import type { ChatMode, ContextSource, ThreadSettings } from '@jan/protocol';
import type { AgentAction } from './components/agent-turn';
import type { HeaderEvent } from './components/chat-header';
import type { ErrorAction } from './components/error-actions';
import type { MessageAction } from './components/message-item';
import type { CodeAction } from './components/message-list';
import type { ThreadListEvent } from './components/thread-list';

export interface ChatEvents {
  header: HeaderEvent;
  'thread-list': ThreadListEvent;
  'message-action': MessageAction;
  'code-action': CodeAction;
  /** The href of a link in a reply: the host checks it before opening it. */
  'open-link': string;
  'notice-action': ErrorAction;
  /** The text to send (the composer's text with its pasted blocks). */
  send: string;
  'context-search': string;
  'context-attach': ContextSource;
  /** The chip's id. */
  'context-detach': string;
  stop: undefined;
  'edit-last': undefined;
  'save-settings': ThreadSettings;
  'close-settings': undefined;
  /** Chat or Agent, from the composer's switch. */
  mode: ChatMode;
  'agent-action': AgentAction;
}

export type ChatEventName = keyof ChatEvents;

/** Sends `name` up from `from` (events bubble to the app). */
export function emit<K extends ChatEventName>(
  from: EventTarget,
  name: K,
  ...detail: ChatEvents[K] extends undefined ? [] : [ChatEvents[K]]
): void {
  from.dispatchEvent(new CustomEvent(name, { detail: detail[0], bubbles: true }));
}

export type ChatEventHandlers = { [K in ChatEventName]: (detail: ChatEvents[K]) => void };

/** Handles every chat event that reaches `target`. */
export function listen(target: EventTarget, handlers: ChatEventHandlers): void {
  for (const name of Object.keys(handlers) as ChatEventName[]) {
    const handler = handlers[name] as (detail: unknown) => void;
    target.addEventListener(name, (event) => handler((event as CustomEvent<unknown>).detail));
  }
}
