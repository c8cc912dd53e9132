import type { FastifyInstance } from 'fastify';
import { EngineError, newId } from '@jan/core';
import { clientSignal } from '../client-signal';
import type { ApiContext } from '../context';
import { requireModel } from '../context';
import { noteRequest } from '../request-log';
import { CompletionRequestSchema, parseBody } from '../schemas';
import { SseWriter } from '../sse';
import { refuseUnsupported } from '../unsupported-fields';
import { stopList } from './chat';

/**
 * `POST /completions`: raw text completion; with a `suffix` it is fill-in-the-middle with the
 * model's FIM tokens (the engine's `complete`, the call inline completion makes). The engine
 * returns the completion whole, so `stream: true` sends it as one chunk, then `[DONE]`.
 */
export function registerCompletionRoute(app: FastifyInstance, context: ApiContext): void {
  app.post('/completions', async (request, reply) => {
    const body = parseBody(CompletionRequestSchema, request.body);
    refuseUnsupported(body);
    const prompt = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
    const suffix = body.suffix ?? '';
    const choice = await requireModel(context, body.model);
    noteRequest(request, { model: choice.id, prompt: context.options.logPrompts ? prompt : undefined });
    const signal = clientSignal(reply.raw);
    const { result, promptTokens } = await context.queue.run(choice.id, signal, async () => {
      const result = await context.inference.complete(
        choice,
        {
          prefix: prompt,
          suffix,
          max_tokens: body.max_tokens ?? 16,
          temperature: body.temperature ?? undefined,
          top_p: body.top_p ?? undefined,
          seed: body.seed ?? undefined,
          stop: stopList(body.stop),
        },
        signal,
      );
      const engine = context.inference.engine(choice);
      const counts = engine.countTokens
        ? await Promise.all([prompt, suffix].map((text) => (text ? engine.countTokens!(choice.id, text) : 0)))
        : [0];
      return { result, promptTokens: counts.reduce((sum, count) => sum + count, 0) };
    });
    if (signal.aborted) throw new EngineError('ABORTED', 'The client left before the completion was ready.');
    noteRequest(request, { completionTokens: result.tokens });
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: result.tokens,
      total_tokens: promptTokens + result.tokens,
    };
    const finishReason = result.finish_reason === 'length' ? 'length' : 'stop';
    const completion = {
      id: `cmpl-${newId()}`,
      object: 'text_completion',
      created: Math.floor(Date.now() / 1000),
      model: choice.id,
      choices: [{ index: 0, text: result.text, logprobs: null, finish_reason: finishReason }],
    };
    if (!body.stream) return { ...completion, usage };
    reply.hijack();
    const sse = new SseWriter(reply.raw);
    sse.open(reply.getHeaders());
    await sse.send(completion);
    if (body.stream_options?.include_usage) await sse.send({ ...completion, choices: [], usage });
    sse.done();
    return reply;
  });
}
