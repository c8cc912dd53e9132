import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InferenceEngine } from '@jan/core';
import { clientSignal } from '../client-signal';
import type { ApiContext } from '../context';
import { modelFor } from '../default-model';
import { invalidRequest } from '../errors';
import { DetokenizeSchema, TokenizeSchema } from '../llama-schemas';
import { noteRequest } from '../request-log';
import { parseBody } from '../schemas';

/** llama-server's `POST /tokenize` and `POST /detokenize`, with the model's own tokenizer (it loads if needed). */
export function registerTokenRoutes(app: FastifyInstance, context: ApiContext): void {
  app.post('/tokenize', async (request, reply) => {
    const body = parseBody(TokenizeSchema, request.body);
    const { tokens, pieces } = await withModel(context, request, reply, body.model, (engine, modelId) => {
      if (!engine.tokenize) throw noTokenizer(engine.displayName, modelId);
      return engine.tokenize(modelId, body.content, body.add_special);
    });
    return {
      tokens: body.with_pieces ? tokens.map((id, index) => ({ id, piece: pieces[index] ?? '' })) : tokens,
    };
  });

  app.post('/detokenize', async (request, reply) => {
    const body = parseBody(DetokenizeSchema, request.body);
    const content = await withModel(context, request, reply, body.model, (engine, modelId) => {
      if (!engine.detokenize) throw noTokenizer(engine.displayName, modelId);
      return engine.detokenize(modelId, body.tokens);
    });
    return { content };
  });
}

/** Runs `work` on the request's model, loaded, in its turn of the model's queue. */
async function withModel<T>(
  context: ApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  named: string | null | undefined,
  work: (engine: InferenceEngine, modelId: string) => Promise<T>,
): Promise<T> {
  const choice = await modelFor(context, named, 'chat');
  noteRequest(request, { model: choice.id });
  const signal = clientSignal(reply.raw);
  return context.queue.run(choice.id, signal, async () =>
    work(await context.inference.prepare(choice, undefined, signal), choice.id),
  );
}

function noTokenizer(engine: string, modelId: string) {
  return invalidRequest(
    `The ${engine} engine of model ${modelId} has no tokenizer to use.`,
    'model',
    'unsupported_model',
  );
}
