import { LlamaChat } from 'node-llama-cpp';
import type { ChatWrapper, LlamaContext } from 'node-llama-cpp';
import { PromptLookup } from './prompt-lookup';
import type { SavedStates } from './saved-states';

interface Slot {
  chat: LlamaChat;
  /** The sequence's prompt-lookup drafting, switched per turn; absent when it is off. */
  lookup: PromptLookup | undefined;
  /** The thread whose tokens the sequence holds; undefined while it holds none. */
  sessionKey: string | undefined;
  lastUsed: number;
}

export interface Acquired {
  chat: LlamaChat;
  lookup: PromptLookup | undefined;
  /** Tokens loaded from the thread's saved state (not evaluated). */
  restoredTokens: number;
  /** The thread that held the sequence before and was saved to disk, if any. */
  evicted: string | undefined;
}

/** Requests without a session key share one sequence, as if they were one thread. */
const ANONYMOUS = '';

/**
 * The chat sequences of one model's context, one per recent thread: a thread's next turn finds its
 * KV cache where it left it even after turns in other threads. When every sequence is taken, the
 * least recently used one is saved to disk (if a folder for saved states was given) and given to
 * the new thread, restored from its own saved state when it has one. Every thread still pooled is
 * saved when the model unloads.
 */
export class ChatPool {
  private slots: Slot[] | undefined;
  private made: Promise<{ context: LlamaContext; slots: Slot[]; states: SavedStates | undefined }> | undefined;
  private clock = 0;

  /**
   * Nothing is allocated until the first chat turn: a model used only for inline completion never
   * holds the chat's KV cache (worker/model-plan.ts plans both).
   */
  constructor(
    private readonly make: () => Promise<{ context: LlamaContext; states: SavedStates | undefined }>,
    readonly chatWrapper: ChatWrapper,
    private readonly warn: (message: string) => void,
    private readonly promptLookup: boolean,
  ) {}

  /** Whether the chat context was made (a first chat turn came). */
  get allocated(): boolean {
    return this.slots !== undefined;
  }

  /** The sequence for this thread. Callers hold the model's chat lock: one acquire and generation at a time. */
  async acquire(sessionKey: string | undefined): Promise<Acquired> {
    const { slots, states } = await this.ensure();
    const key = sessionKey ?? ANONYMOUS;
    const own = slots.find((slot) => slot.sessionKey === key);
    if (own) return { chat: this.touch(own), lookup: own.lookup, restoredTokens: 0, evicted: undefined };
    const slot = slots.reduce((oldest, candidate) => (candidate.lastUsed < oldest.lastUsed ? candidate : oldest));
    const evicted = slot.sessionKey;
    if (evicted !== undefined) await this.save(states, evicted, slot);
    slot.sessionKey = key;
    const restoredTokens = states ? await states.restore(key, slot.chat.sequence) : 0;
    return { chat: this.touch(slot), lookup: slot.lookup, restoredTokens, evicted };
  }

  /**
   * Saves every thread's sequence (the model is about to unload: idle unload, restart, model
   * switch), so each thread's next turn is a restore, not an evaluation. Callers hold the chat lock.
   */
  async saveAll(): Promise<void> {
    const made = await this.made?.catch(() => undefined);
    if (!made) return;
    for (const slot of made.slots)
      if (slot.sessionKey !== undefined) await this.save(made.states, slot.sessionKey, slot);
  }

  async dispose(): Promise<void> {
    const made = await this.made?.catch(() => undefined);
    if (!made) return;
    for (const slot of made.slots) slot.chat.dispose();
    await made.context.dispose();
  }

  private ensure(): Promise<{ context: LlamaContext; slots: Slot[]; states: SavedStates | undefined }> {
    this.made ??= this.make().then(({ context, states }) => {
      const slots = Array.from({ length: context.totalSequences }, () => {
        const lookup = this.promptLookup ? new PromptLookup() : undefined;
        return {
          chat: new LlamaChat({
            contextSequence: context.getSequence({ tokenPredictor: lookup }),
            chatWrapper: this.chatWrapper,
          }),
          lookup,
          sessionKey: undefined,
          lastUsed: 0,
        };
      });
      this.slots = slots;
      return { context, slots, states };
    });
    this.made.catch(() => (this.made = undefined));
    return this.made;
  }

  private async save(states: SavedStates | undefined, sessionKey: string, slot: Slot): Promise<void> {
    if (!states || slot.chat.sequence.contextTokens.length === 0) return;
    // Not saved (disk full, folder not writable): that thread is evaluated again when it comes back.
    await states
      .save(sessionKey, slot.chat.sequence)
      .catch((error: unknown) => this.warn(`Could not save a chat's KV cache state: ${(error as Error).message}`));
  }

  private touch(slot: Slot): LlamaChat {
    slot.lastUsed = ++this.clock;
    return slot.chat;
  }
}
