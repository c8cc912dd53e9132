import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';
import { requireModel } from '../context';
import { invalidRequest } from '../errors';
import { noteRequest } from '../request-log';
import { EmbeddingRequestSchema, parseBody } from '../schemas';
import { clientSignal } from '../client-signal';

/** `POST /embeddings`: one vector per input from the model's embedding context (node-llama-cpp's). */
export function registerEmbeddingRoute(app: FastifyInstance, context: ApiContext): void {
  app.post('/embeddings', async (request, reply) => {
    const body = parseBody(EmbeddingRequestSchema, request.body);
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (input.some((text) => text.length === 0))
      throw invalidRequest("'input' cannot contain an empty string.", 'input', 'invalid_value');
    const choice = await requireModel(context, body.model);
    noteRequest(request, { model: choice.id });
    const signal = clientSignal(reply.raw);
    const result = await context.queue.run(choice.id, signal, () => context.inference.embed(choice, input, signal));
    if (body.dimensions && result.embeddings[0] && body.dimensions !== result.embeddings[0].length) {
      throw invalidRequest(
        `Model ${choice.id} makes ${result.embeddings[0].length}-dimensional embeddings; 'dimensions' cannot change that.`,
        'dimensions',
        'invalid_value',
      );
    }
    return {
      object: 'list',
      model: choice.id,
      data: result.embeddings.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: body.encoding_format === 'base64' ? toBase64(vector) : vector,
      })),
      usage: { prompt_tokens: result.prompt_tokens, total_tokens: result.prompt_tokens },
    };
  });
}

/** OpenAI's base64 encoding: the little-endian float32 bytes (what the openai client asks for by default). */
function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}
