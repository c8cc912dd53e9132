import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';
import { modelFor } from '../default-model';
import { invalidRequest } from '../errors';
import { DetokenizeSchema, TokenizeSchema } from '../llama-schemas';
import { noteRequest } from '../request-log';
import { parseBody } from '../schemas';
import { clientSignal } from '../client-signal';

/** llama-server's `POST /tokenize` and `POST /detokenize`, with the model's own tokenizer (it loads if needed). */
export function registerTokenRoutes(app: FastifyInstance, context: ApiContext): void {
  app.post('/tokenize', async (request, reply) => {
    const body = parseBody(TokenizeSchema, request.body);
    const choice = await modelFor(context, body.model, 'chat');
    noteRequest(request, { model: choice.id });
    const engine = context.inference.engine(choice);
    if (!engine.tokenize) throw noTokenizer(engine.displayName, choice.id);
    const signal = clientSignal(reply.raw);
    const { tokens, pieces } = await context.queue.run(choice.id, signal, async () => {
      await context.inference.prepare(choice, undefined, signal);
      return engine.tokenize!(choice.id, body.content, body.add_special);
    });
    return {
      tokens: body.with_pieces ? tokens.map((id, index) => ({ id, piece: pieces[index] ?? '' })) : tokens,
    };
  });

  app.post('/detokenize', async (request, reply) => {
    const body = parseBody(DetokenizeSchema, request.body);
    const choice = await modelFor(context, body.model, 'chat');
    noteRequest(request, { model: choice.id });
    const engine = context.inference.engine(choice);
    if (!engine.detokenize) throw noTokenizer(engine.displayName, choice.id);
    const signal = clientSignal(reply.raw);
    const content = await context.queue.run(choice.id, signal, async () => {
      await context.inference.prepare(choice, undefined, signal);
      return engine.detokenize!(choice.id, body.tokens);
    });
    return { content };
  });
}

function noTokenizer(engine: string, modelId: string) {
  return invalidRequest(
    `The ${engine} engine of model ${modelId} has no tokenizer to use.`,
    'model',
    'unsupported_model',
  );
}
