import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModelChoice, ModelPurpose } from '@jan/core';
import { clientSignal } from '../client-signal';
import type { ApiContext } from '../context';
import { modelFor } from '../default-model';
import { InfillSchema, LlamaCompletionSchema } from '../llama-schemas';
import type { InfillBody, LlamaCompletionBody } from '../llama-schemas';
import { noteRequest } from '../request-log';
import { parseBody, replyLimit } from '../schemas';
import { streamCompletion, wholeCompletion } from '../completion-stream';
import { completionPieces } from '../text-completion';
import type { FinishedCompletion, TextCompletionRequest } from '../text-completion';
import { stopList } from './chat';

/**
 * llama-server's `POST /completion` (text continued) and `POST /infill` (fill in the middle, what
 * llama.vscode and our own remote engine's `infill` mode send), in llama-server's shapes: `content`
 * and `stop`, streamed as `data:` events without `[DONE]`. `n_predict` limits the reply (-1: none).
 */
export function registerLlamaCompletionRoutes(app: FastifyInstance, context: ApiContext): void {
  app.post('/completion', async (request, reply) => {
    const body = parseBody(LlamaCompletionSchema, request.body);
    const prompt = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
    return run(context, request, reply, body, 'chat', { prefix: prompt, suffix: '' });
  });

  app.post('/infill', async (request, reply) => {
    const body = parseBody(InfillSchema, request.body);
    const extra = body.input_extra.map((chunk) => chunk.text).join('\n');
    return run(context, request, reply, body, 'completion', {
      // The middle starts with `prompt`: it continues the prefix.
      prefix: body.input_prefix + body.prompt,
      suffix: body.input_suffix,
      ...(extra ? { extra } : {}),
    });
  });
}

async function run(
  context: ApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  body: LlamaCompletionBody | InfillBody,
  purpose: ModelPurpose,
  prompt: Pick<TextCompletionRequest, 'prefix' | 'suffix' | 'extra'>,
) {
  const choice = await modelFor(context, body.model, purpose);
  noteRequest(request, { model: choice.id, prompt: context.options.logPrompts ? prompt.prefix : undefined });
  const signal = clientSignal(reply.raw);
  const nPredict = replyLimit({ max_tokens: body.max_tokens, n_predict: body.n_predict });
  return context.queue.run(choice.id, signal, async () => {
    const pieces = completionPieces(
      context,
      choice,
      {
        ...prompt,
        max_tokens: nPredict,
        temperature: body.temperature ?? undefined,
        top_p: body.top_p ?? undefined,
        seed: body.seed ?? undefined,
        stop: stopList(body.stop),
      },
      signal,
    );
    const settings = { n_predict: nPredict ?? -1, temperature: body.temperature, top_p: body.top_p, seed: body.seed };
    if (!body.stream) {
      const { text, finished } = await wholeCompletion(pieces, signal, request);
      return { content: text, ...summary(choice, finished, settings) };
    }
    return streamCompletion(reply, request, pieces, signal, {
      piece: (content) => ({ content, stop: false }),
      finish: (finished) => [{ content: '', ...summary(choice, finished, settings) }],
      end: 'close',
    });
  });
}

/** The fields of llama-server's final answer we can fill truthfully. */
function summary(choice: ModelChoice, finished: FinishedCompletion, settings: Record<string, unknown>) {
  const { result, promptTokens } = finished;
  const limited = result.finish_reason === 'length';
  return {
    stop: true,
    model: choice.id,
    tokens_predicted: result.tokens,
    tokens_evaluated: promptTokens,
    tokens_cached: result.cached_tokens ?? 0,
    stop_type: limited ? 'limit' : 'eos',
    stopped_limit: limited,
    truncated: false,
    generation_settings: { model: choice.id, ...settings },
  };
}
