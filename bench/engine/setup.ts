import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { textContent, textOf } from '@jan/core';
import type { ChatCompletionChunk, ChatMessage, SettingKey, Thread } from '@jan/core';
import type { JanRuntime } from '../../src/node/runtime';
import { bundleEntry } from '../../test/support/bundle-entry';
import { newThread, openTestRuntime, type TestRuntime } from '../../test/support/test-runtime';

export const THREADS = 1;
export const CONTEXT = 2048;
export const SYSTEM = 'You are a storyteller. You tell short stories for children.';

/** One machine's data (a `.jan` and a models folder) that runtimes are opened on, as VS Code opens them. */
export class BenchHome {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'jan-bench-engine-'));
  private worker: Promise<string> | undefined;
  /** The user's settings: every runtime opened here starts with them and follows a change. */
  private readonly values: { [K in SettingKey]?: unknown } = {
    'jan.engine.threads': THREADS,
    'jan.engine.gpu': 'cpu',
    'jan.engine.contextSize': CONTEXT,
    'jan.engine.completionContextSize': CONTEXT,
    'jan.engine.idleUnloadMinutes': 0,
    'jan.engine.transport': 'process',
  };
  private readonly opened = new Set<TestRuntime>();

  /** A runtime on this home's folders, started, with the bench's settings. */
  async open(): Promise<JanRuntime> {
    this.worker ??= bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker', process.cwd());
    const opened = await openTestRuntime({
      prefix: 'jan-bench-engine-',
      root: this.root,
      workerPath: await this.worker,
      settings: { ...this.values },
    });
    this.opened.add(opened);
    return opened.runtime;
  }

  /** Sets one of the user's settings, as the editor would: open runtimes follow it, later ones start with it. */
  set(key: SettingKey, value: unknown): void {
    this.values[key] = value;
    for (const opened of this.opened) opened.set(key, value);
  }

  /** The chat model the runtimes use (`jan.chatModel`). */
  set chatModel(id: string) {
    this.set('jan.chatModel', id);
  }

  get chatModel(): string {
    return (this.values['jan.chatModel'] as string | undefined) ?? '';
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A thread of the default assistant with greedy replies of at most `maxTokens`. */
export function benchThread(runtime: JanRuntime, maxTokens: number): Promise<Thread> {
  return newThread(runtime, { maxTokens, instructions: SYSTEM });
}

export interface TurnTokens {
  prompt: number;
  /** Prompt tokens evaluated (not found in the KV cache or a saved state). */
  evaluated: number;
  trimmed: boolean;
  ttftMs: number;
  text: string;
}

/** One chat turn the way the chat view sends it (ConversationService), with its stored token counts. */
export async function send(runtime: JanRuntime, threadId: string, text: string): Promise<TurnTokens> {
  const { reply } = await runtime.conversation.send(threadId, text);
  if (reply.status !== 'ready') throw new Error(`the turn ended ${reply.status}: ${JSON.stringify(reply.metadata)}`);
  const metadata = reply.metadata as {
    prompt_tokens: number;
    cached_prompt_tokens?: number;
    context_trimmed?: unknown;
    time_to_first_token_ms: number;
  };
  return {
    prompt: metadata.prompt_tokens,
    evaluated: metadata.prompt_tokens - (metadata.cached_prompt_tokens ?? 0),
    trimmed: metadata.context_trimmed !== undefined,
    ttftMs: metadata.time_to_first_token_ms,
    text: textOf(reply),
  };
}

export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
export const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A stream read the way a consumer reads it: first and last text, tokens and timings from the last chunk. */
export async function readStream(chunks: AsyncIterable<ChatCompletionChunk>, started = performance.now()) {
  let firstAt: number | undefined;
  let lastAt = started;
  let text = '';
  let last: ChatCompletionChunk | undefined;
  for await (const chunk of chunks) {
    const content = chunk.choices[0]?.delta.content;
    if (content) {
      firstAt ??= performance.now();
      lastAt = performance.now();
      text += content;
    }
    last = chunk;
  }
  firstAt ??= lastAt;
  const tokens = last?.usage?.completion_tokens ?? 0;
  return {
    text,
    tokens,
    ttftMs: firstAt - started,
    decodeTokensPerSecond: tokens > 1 && lastAt > firstAt ? ((tokens - 1) / (lastAt - firstAt)) * 1000 : undefined,
    usage: last?.usage,
    timings: last?.timings,
    decodeMs: lastAt - firstAt,
  };
}

export const storyRequest: ChatMessage[] = [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: 'Tell me a long story about a brave little cat.' },
];

export { textContent };
