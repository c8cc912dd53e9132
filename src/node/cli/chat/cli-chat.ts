import { textOf, type ChatSession } from '@jan/core';
import type { ThreadMessage } from '@jan/core';
import type { JanRuntime } from '../../runtime';
import { hasThreadOptions, threadOptionChanges } from './thread-options';
import type { ThreadOptions } from './thread-options';

export interface ChatFlags extends ThreadOptions {
  model?: string;
  thread?: string;
}

/** Where the reply's text goes as it streams (stdout; nowhere with `--json`, which prints it at the end). */
export interface ReplyOutput {
  write(text: string): void;
  /** Ends the reply's last line, so the shell prompt or the next message starts on its own. */
  endLine(): void;
}

/**
 * A chat in the terminal over the editor's services: the thread is made the way the chat view
 * makes one (ChatSession), but only when the first message is sent, after the model and the
 * message were checked, so a mistyped model or an empty prompt leaves nothing behind.
 */
export class CliChat {
  private threadId: string | undefined;
  private sending = false;

  private constructor(
    private readonly runtime: JanRuntime,
    readonly model: string,
    private readonly options: ThreadOptions,
    threadId: string | undefined,
  ) {
    this.threadId = threadId;
  }

  /** Checks the flags against what is installed and in `.jan`; writes nothing unless `--thread` is given with changes. */
  static async open(runtime: JanRuntime, flags: ChatFlags, note: (text: string) => void): Promise<CliChat> {
    const listed = (await runtime.inference.listModels()).map((model) => model.id);
    if (flags.model !== undefined && !listed.includes(flags.model)) {
      throw new Error(
        `There is no model "${flags.model}". ` +
          (listed.length
            ? `Installed: ${listed.slice(0, 8).join(', ')}${listed.length > 8 ? ', …' : ''}.`
            : noModels(runtime)),
      );
    }
    if (flags.thread === undefined) {
      const model = flags.model ?? listed[0];
      if (!model) throw new Error(noModels(runtime));
      if (!flags.model) note(`[using model ${model}; --model chooses another]`);
      return new CliChat(runtime, model, flags, undefined);
    }
    const thread = await runtime.conversational.getThread(flags.thread);
    if (!thread) throw new Error(`Thread ${flags.thread} was not found in ${runtime.core.context.janFolder}.`);
    const chat = new CliChat(
      runtime,
      flags.model ?? thread.assistants[0]?.model.id ?? listed[0] ?? '',
      flags,
      thread.id,
    );
    // `--thread X --model Y`: the thread goes on with Y, as picking a model in an open chat does.
    if (flags.model !== undefined) await chat.session().chooseModel(thread.id, flags.model);
    if (hasThreadOptions(flags)) await chat.applyOptions(thread.id);
    return chat;
  }

  /** The thread the chat writes to; undefined until the first message. */
  get thread(): string | undefined {
    return this.threadId;
  }

  get isSending(): boolean {
    return this.sending;
  }

  /** The next message starts a new thread (the REPL's `/new`). */
  startNew(): void {
    this.threadId = undefined;
  }

  /**
   * Sends a message and streams the reply's text to `output` as it grows. Resolves with the saved
   * reply, also when it was stopped (status `stopped`, its text kept).
   */
  async send(text: string, output: ReplyOutput): Promise<ThreadMessage> {
    if (!text.trim()) throw new Error('The message is empty; nothing was sent.');
    const threadId = this.threadId ?? (await this.createThread());
    let written = 0;
    const subscription = this.runtime.core.events.on('OnMessageUpdate', (message) => {
      if (message.thread_id !== threadId || message.role !== 'assistant') return;
      const reply = textOf(message);
      if (reply.length > written) {
        output.write(reply.slice(written));
        written = reply.length;
      }
    });
    this.sending = true;
    try {
      return (await this.runtime.conversation.send(threadId, text)).reply;
    } finally {
      this.sending = false;
      subscription.dispose();
    }
  }

  /** Stops the reply being written; `send` then resolves with what was written so far, saved `stopped`. */
  stop(): void {
    if (this.threadId) this.runtime.conversation.stop(this.threadId);
  }

  private async createThread(): Promise<string> {
    const session = this.session();
    await session.chooseModel(null, this.model);
    const thread = await session.createThread();
    this.threadId = thread.id;
    if (hasThreadOptions(this.options)) await this.applyOptions(thread.id);
    return thread.id;
  }

  private async applyOptions(threadId: string): Promise<void> {
    await this.runtime.conversational.updateThread(threadId, (current) => threadOptionChanges(current, this.options));
  }

  private session(): ChatSession {
    return this.runtime.openChatSession();
  }
}

function noModels(runtime: JanRuntime): string {
  return `No model is installed in ${runtime.core.context.modelsFolder}. Run "jan-vscode models import <file.gguf>" or "jan-vscode models download <url>" first.`;
}
