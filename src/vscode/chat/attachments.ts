import { newId, type ContextItem, type ContextSourceRegistry, type Logger } from '@jan/core';
import type { AttachedContext, ContextSource, HostMessage, MessageHandlers, WebviewMessage } from '@jan/protocol';
import type { ContextSources } from './chat-backend';
import type { WebviewChannel } from './webview-channel';
import { toAttachedContext } from './views';

/** Chips removed in a view that then went away are never detached: past this many, the oldest go. */
const MAX_WAITING = 200;

/** `@codebase` waits for the message: the search needs its words. */
const CODEBASE = 'codebase';
const CODEBASE_CHIP: ContextItem = {
  kind: 'codebase',
  label: 'Codebase',
  text: '',
  tokens: 0,
  note: 'searched for your message when you send it',
};

/**
 * `@` attachments read on the host, waiting by chip id for the message they are sent with (the
 * view holds only the chips; their content never goes through it).
 */
export class ContextAttachments {
  private readonly waiting = new Map<string, ContextItem | typeof CODEBASE>();

  constructor(
    private readonly sources: ContextSources,
    private readonly registered: ContextSourceRegistry,
  ) {}

  /** Reads the source now and keeps it; the chip for the view. Nothing to attach is an error. */
  async attach(source: ContextSource): Promise<AttachedContext> {
    const id = newId(Date.now());
    if (source.kind === 'codebase') {
      this.keep(id, CODEBASE);
      return toAttachedContext(id, CODEBASE_CHIP);
    }
    const item =
      source.kind === 'registered'
        ? await this.registered.read(source.source, source.item, new AbortController().signal)
        : await this.sources.read(source);
    if (!item.text) throw new Error(`${item.label}: ${item.note ?? 'nothing to attach'}.`);
    this.keep(id, item);
    return toAttachedContext(id, item);
  }

  private keep(id: string, item: ContextItem | typeof CODEBASE): void {
    if (this.waiting.size >= MAX_WAITING) this.waiting.delete(this.waiting.keys().next().value!);
    this.waiting.set(id, item);
  }

  detach(id: string): void {
    this.waiting.delete(id);
  }

  /**
   * The items of these chips for the message `text` (`@codebase` is searched for it now), or
   * undefined when one is no longer here (the editor was restarted).
   */
  async items(ids: readonly string[], text: string): Promise<ContextItem[] | undefined> {
    const items = ids.map((id) => this.waiting.get(id));
    if (!items.every((item) => item !== undefined)) return undefined;
    return Promise.all(items.map((item) => (item === CODEBASE ? this.sources.codebase(text) : item)));
  }

  /** The chips were sent with a message. */
  sent(ids: readonly string[]): void {
    for (const id of ids) this.waiting.delete(id);
  }
}

/** The view's `@` messages: what it asks for in the picker, and the chips it attaches and removes. */
export type ContextMessage = Extract<WebviewMessage, { type: 'contextSearch' | 'attachContext' | 'detachContext' }>;

export function contextHandlers(
  attachments: ContextAttachments,
  sources: ContextSources,
  registered: ContextSourceRegistry,
  channel: WebviewChannel<HostMessage>,
  logger: Logger,
): MessageHandlers<ContextMessage, Promise<void> | void> {
  // A registered source that fails costs its own offers, told once per query in the log.
  const failed = (source: { label: string }, reason: string) =>
    logger.warn(`The @ source "${source.label}" offered nothing: ${reason}`);
  return {
    contextSearch: async ({ query }) => {
      const [files, offers] = await Promise.all([sources.searchFiles(query), registered.offers(query, failed)]);
      channel.send({ type: 'contextResults', query, files, offers });
    },
    attachContext: async ({ source }) =>
      channel.send({ type: 'contextAttached', item: await attachments.attach(source) }),
    detachContext: ({ id }) => attachments.detach(id),
  };
}
