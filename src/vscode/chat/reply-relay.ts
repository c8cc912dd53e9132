import type { Disposable, EventBus, ThreadMessage } from '@jan/core';
import { isProtocolId, type HostMessage } from '@jan/protocol';
import { StreamCoalescer, type FlushScheduler } from './stream-coalescer';
import { toMessageView } from './views';
import type { WebviewChannel } from './webview-channel';

/**
 * Relays the conversation's events for the open thread to the view: the user's message, the
 * reply as it streams (coalesced to one update per frame, the final one at once) and whether a
 * reply is being written, wherever it was started (the chat, a command on a selection).
 */
export class ReplyRelay {
  private readonly stream: StreamCoalescer<ThreadMessage>;
  private readonly subscriptions: Disposable[];

  constructor(
    events: EventBus,
    private readonly channel: WebviewChannel<HostMessage>,
    private readonly activeThreadId: () => string | undefined,
    private readonly nameOf: (modelId: string) => string,
    scheduler?: FlushScheduler,
  ) {
    this.stream = new StreamCoalescer((_threadId, message) => this.toActive(message), scheduler);
    this.subscriptions = [
      events.on('OnMessageSent', (message) => this.toActive(message)),
      events.on('OnMessageUpdate', (message) => {
        this.stream.push(message.thread_id, message);
        if (message.status !== 'pending') this.stream.flush();
      }),
      events.on('OnGenerationChanged', ({ threadId, generating }) => {
        if (!generating) this.stream.flush();
        if (threadId === this.activeThreadId()) this.channel.send({ type: 'generating', threadId, generating });
      }),
    ];
  }

  /** Sends the updates held back, before the thread is read again. */
  flush(): void {
    this.stream.flush();
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.stream.dispose();
  }

  private toActive(message: ThreadMessage): void {
    if (message.thread_id === this.activeThreadId() && isProtocolId(message.id)) {
      this.channel.send({ type: 'message', threadId: message.thread_id, message: toMessageView(message, this.nameOf) });
    }
  }
}
