import type { FastifyInstance, FastifyReply } from 'fastify';
import { EngineError, assembleToolCalls } from '@jan/core';
import type { ChatCompletionChunk, FinishReason } from '@jan/core';
import { clientSignal } from '../client-signal';
import type { ApiContext } from '../context';
import { requireModel } from '../context';
import { toApiError } from '../errors';
import { noteRequest } from '../request-log';
import { ChatRequestSchema, parseBody, replyLimit } from '../schemas';
import { SseWriter } from '../sse';
import { chatMessages, toolRequest } from '../tool-fields';
import { refuseUnsupported } from '../unsupported-fields';

/** `POST /chat/completions`: one reply from the model through InferenceService, streamed (SSE) or whole. */
export function registerChatRoute(app: FastifyInstance, context: ApiContext): void {
  app.post('/chat/completions', async (request, reply) => {
    const body = parseBody(ChatRequestSchema, request.body);
    refuseUnsupported(body);
    const messages = chatMessages(body);
    const tools = toolRequest(body);
    const choice = await requireModel(context, body.model);
    noteRequest(request, {
      model: choice.id,
      prompt: context.options.logPrompts ? messages.map((message) => message.content).join('\n') : undefined,
    });
    const signal = clientSignal(reply.raw);
    return context.queue.run(choice.id, signal, async () => {
      const stream = context.inference.chat(
        choice,
        {
          messages,
          temperature: body.temperature ?? undefined,
          top_p: body.top_p ?? undefined,
          max_tokens: replyLimit(body),
          stop: stopList(body.stop),
          seed: body.seed ?? undefined,
          frequency_penalty: body.frequency_penalty ?? undefined,
          presence_penalty: body.presence_penalty ?? undefined,
          ...tools,
        },
        signal,
      );
      const chunks = stream[Symbol.asyncIterator]();
      if (body.stream) return streamReply(reply, chunks, signal, body.stream_options?.include_usage === true, request);
      return wholeReply(chunks, signal, choice.id, request);
    });
  });
}

/**
 * The status line waits for the first chunk, so a failure before any text (model not found, a
 * load that fails, a crash on the prompt) is a real HTTP error, not an event inside a 200.
 */
async function streamReply(
  reply: FastifyReply,
  chunks: AsyncIterator<ChatCompletionChunk>,
  signal: AbortSignal,
  includeUsage: boolean,
  request: Parameters<typeof noteRequest>[0],
): Promise<FastifyReply> {
  let next = await chunks.next();
  if (signal.aborted) throw new EngineError('ABORTED', 'The client left before the reply started.');
  reply.hijack();
  const sse = new SseWriter(reply.raw);
  sse.open(reply.getHeaders());
  try {
    let final: ChatCompletionChunk | undefined;
    for (; !next.done; next = await chunks.next()) {
      const { usage, ...chunk } = next.value;
      if (chunk.choices[0]?.finish_reason) final = next.value;
      await sse.send(includeUsage ? { ...chunk, usage: null } : chunk);
      if (usage && includeUsage)
        await sse.send({
          id: chunk.id,
          object: chunk.object,
          created: chunk.created,
          model: chunk.model,
          choices: [],
          usage,
        });
    }
    noteRequest(request, { completionTokens: final?.usage?.completion_tokens, status: signal.aborted ? 499 : 200 });
    sse.done();
  } catch (error) {
    const failure = toApiError(error);
    noteRequest(request, { status: failure.status, error: failure.message });
    await sse.fail(failure.body());
  }
  return reply;
}

async function wholeReply(
  chunks: AsyncIterator<ChatCompletionChunk>,
  signal: AbortSignal,
  model: string,
  request: Parameters<typeof noteRequest>[0],
) {
  let text = '';
  let last: ChatCompletionChunk | undefined;
  let finishReason: FinishReason = null;
  const received: ChatCompletionChunk[] = [];
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    last = next.value;
    if (next.value.choices[0]?.delta.tool_calls) received.push(next.value);
    text += next.value.choices[0]?.delta.content ?? '';
    finishReason = next.value.choices[0]?.finish_reason ?? finishReason;
  }
  const toolCalls = assembleToolCalls(received).map(({ id, type, function: fn }) => ({ id, type, function: fn }));
  if (signal.aborted) throw new EngineError('ABORTED', 'The client left before the reply was complete.');
  const usage = last?.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  noteRequest(request, { completionTokens: usage.completion_tokens });
  return {
    id: last?.id ?? 'chatcmpl',
    object: 'chat.completion',
    created: last?.created ?? Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // OpenAI sends null content beside tool calls when the model wrote no text.
          content: toolCalls.length > 0 && !text ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason ?? 'stop',
      },
    ],
    usage,
    ...(last?.timings ? { timings: last.timings } : {}),
  };
}

export function stopList(stop: string | string[] | null | undefined): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  return typeof stop === 'string' ? [stop] : stop;
}
