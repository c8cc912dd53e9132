import { ToolCallAssembler, type AssembledCall } from './agent/tool-calls';
import type { ChatCompletionChunk, FinishReason, ThreadMessage } from './types';
import { textContent } from './types';

/** What one streamed model reply produced. */
export interface StreamedReply {
  text: string;
  /** Tool calls the reply made (assembled from `delta.tool_calls`). */
  calls: AssembledCall[];
  finishReason: FinishReason;
  firstTokenAt?: number;
  completionTokens: number;
  promptTokens?: number;
  cachedPromptTokens?: number;
}

/**
 * Streams a model reply into `message` (`text` is what this reply wrote, after any `prefix`): its
 * text grows with every content piece and `update`
 * publishes each change; tool call pieces are assembled. Stops reading when `signal` aborts.
 */
export async function streamInto(
  message: ThreadMessage,
  chunks: AsyncIterable<ChatCompletionChunk>,
  signal: AbortSignal,
  options: {
    now(): number;
    update(message: ThreadMessage): void;
    /** Text the message already has (a reply being continued): the stream writes on from it. */
    prefix?: string;
  },
): Promise<StreamedReply> {
  const prefix = options.prefix ?? '';
  const calls = new ToolCallAssembler();
  const reply: StreamedReply = { text: '', calls: [], finishReason: null, completionTokens: 0 };
  for await (const chunk of chunks) {
    if (signal.aborted) break;
    const choice = chunk.choices[0];
    const delta = choice?.delta.content ?? '';
    if (choice?.delta.tool_calls) {
      reply.firstTokenAt ??= options.now();
      calls.add(choice.delta.tool_calls);
    }
    if (delta) {
      reply.firstTokenAt ??= options.now();
      reply.text += delta;
      reply.completionTokens += 1;
      message.content = textContent(prefix + reply.text);
      message.updated = options.now();
      options.update(message);
    }
    if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
    if (chunk.usage) {
      reply.completionTokens = chunk.usage.completion_tokens;
      reply.promptTokens = chunk.usage.prompt_tokens;
      reply.cachedPromptTokens = chunk.usage.prompt_tokens_details?.cached_tokens;
    }
  }
  reply.calls = calls.calls();
  return reply;
}
