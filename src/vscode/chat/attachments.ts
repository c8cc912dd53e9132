import { newId, type ContextItem, type ContextSourceRegistry, type Logger } from '@jan/core';
import type { AttachedContext, ContextSource, HostMessage, MessageHandlers, WebviewMessage } from '@jan/protocol';
import type { ContextSources } from './chat-backend';
import type { WebviewChannel } from './webview-channel';
import { toAttachedContext } from './views';

/** Chips removed in a view that then went away are never detached: past this many, the oldest go. */
const MAX_WAITING = 200;

/**
 * `@` attachments read on the host, waiting by chip id for the message they are sent with (the
 * view holds only the chips; their content never goes through it).
 */
export class ContextAttachments {
  private readonly waiting = new Map<string, ContextItem>();

  constructor(
    private readonly sources: ContextSources,
    private readonly registered: ContextSourceRegistry,
  ) {}

  /** Reads the source now and keeps it; the chip for the view. Nothing to attach is an error. */
  async attach(source: ContextSource): Promise<AttachedContext> {
    const item =
      source.kind === 'registered'
        ? await this.registered.read(source.source, source.item, new AbortController().signal)
        : await this.sources.read(source);
    if (!item.text) throw new Error(`${item.label}: ${item.note ?? 'nothing to attach'}.`);
    const id = newId(Date.now());
    if (this.waiting.size >= MAX_WAITING) this.waiting.delete(this.waiting.keys().next().value!);
    this.waiting.set(id, item);
    return toAttachedContext(id, item);
  }

  detach(id: string): void {
    this.waiting.delete(id);
  }

  /** The items of these chips, or undefined when one is no longer here (the editor was restarted). */
  items(ids: readonly string[]): ContextItem[] | undefined {
    const items = ids.map((id) => this.waiting.get(id));
    return items.every((item) => item !== undefined) ? items : undefined;
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
