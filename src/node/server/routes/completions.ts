import type { FastifyInstance, FastifyReply } from 'fastify';
import { EngineError, newId } from '@jan/core';
import type { FinishReason } from '@jan/core';
import { clientSignal } from '../client-signal';
import type { ApiContext } from '../context';
import { requireModel } from '../context';
import { toApiError } from '../errors';
import { noteRequest } from '../request-log';
import { CompletionRequestSchema, parseBody, replyLimit } from '../schemas';
import { SseWriter } from '../sse';
import { completionPieces } from '../text-completion';
import { refuseUnsupported } from '../unsupported-fields';
import { stopList } from './chat';

/** OpenAI's default `max_tokens` for a text completion. */
const DEFAULT_MAX_TOKENS = 16;

/**
 * `POST /completions`: the prompt continued as plain text, or with a `suffix`, filled in the
 * middle with the model's FIM tokens. The prompt is used whole (a prompt that does not fit is a
 * 400 `context_length_exceeded`) and `stream: true` sends the text as the model writes it.
 */
export function registerCompletionRoute(app: FastifyInstance, context: ApiContext): void {
  app.post('/completions', async (request, reply) => {
    const body = parseBody(CompletionRequestSchema, request.body);
    refuseUnsupported(body);
    const prompt = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
    const choice = await requireModel(context, body.model);
    noteRequest(request, { model: choice.id, prompt: context.options.logPrompts ? prompt : undefined });
    const signal = clientSignal(reply.raw);
    const base = {
      id: `cmpl-${newId()}`,
      object: 'text_completion' as const,
      created: Math.floor(Date.now() / 1000),
      model: choice.id,
    };
    return context.queue.run(choice.id, signal, async () => {
      const pieces = completionPieces(
        context,
        choice,
        {
          prefix: prompt,
          suffix: body.suffix ?? '',
          max_tokens: replyLimit(body, DEFAULT_MAX_TOKENS),
          temperature: body.temperature ?? undefined,
          top_p: body.top_p ?? undefined,
          seed: body.seed ?? undefined,
          stop: stopList(body.stop),
        },
        signal,
      );
      const choiceOf = (text: string, finishReason: string | null) => ({
        index: 0,
        text,
        logprobs: null,
        finish_reason: finishReason,
      });
      if (!body.stream) {
        let text = '';
        let next = await pieces.next();
        for (; !next.done; next = await pieces.next()) text += next.value;
        if (signal.aborted) throw new EngineError('ABORTED', 'The client left before the completion was ready.');
        const { result, promptTokens } = next.value;
        noteRequest(request, { completionTokens: result.tokens });
        return {
          ...base,
          choices: [choiceOf(text, finishReasonOf(result.finish_reason))],
          usage: usageOf(promptTokens, result.tokens),
        };
      }
      return streamCompletion(reply, pieces, signal, request, {
        chunk: (text, finishReason) => ({ ...base, choices: [choiceOf(text, finishReason)] }),
        usage: body.stream_options?.include_usage
          ? (promptTokens, tokens) => ({ ...base, choices: [], usage: usageOf(promptTokens, tokens) })
          : undefined,
      });
    });
  });
}

async function streamCompletion(
  reply: FastifyReply,
  pieces: ReturnType<typeof completionPieces>,
  signal: AbortSignal,
  request: Parameters<typeof noteRequest>[0],
  shape: {
    chunk: (text: string, finishReason: string | null) => unknown;
    usage?: (promptTokens: number, tokens: number) => unknown;
  },
): Promise<FastifyReply> {
  let next = await pieces.next();
  if (signal.aborted) throw new EngineError('ABORTED', 'The client left before the completion started.');
  reply.hijack();
  const sse = new SseWriter(reply.raw);
  sse.open(reply.getHeaders());
  try {
    for (; !next.done; next = await pieces.next()) await sse.send(shape.chunk(next.value, null));
    const { result, promptTokens } = next.value;
    await sse.send(shape.chunk('', finishReasonOf(result.finish_reason)));
    if (shape.usage) await sse.send(shape.usage(promptTokens, result.tokens));
    noteRequest(request, { completionTokens: result.tokens, status: signal.aborted ? 499 : 200 });
    sse.done();
  } catch (error) {
    const failure = toApiError(error);
    noteRequest(request, { status: failure.status, error: failure.message });
    await sse.fail(failure.body());
  }
  return reply;
}

function finishReasonOf(reason: FinishReason): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop';
}

function usageOf(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}
