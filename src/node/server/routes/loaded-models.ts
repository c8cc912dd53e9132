import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';
import { requireModel } from '../context';
import { ModelActionSchema } from '../llama-schemas';
import { noteRequest } from '../request-log';
import { parseBody } from '../schemas';
import { clientSignal } from '../client-signal';

/**
 * Models in memory, as llama-server's router mode manages them: `POST /models/load` and
 * `POST /models/unload` with `{ model }` (`jan-vscode ps` / `stop` use them); the lists carry each
 * model's `status` (models.ts).
 */
export function registerLoadedModelRoutes(app: FastifyInstance, context: ApiContext): void {
  app.post('/models/load', async (request, reply) => {
    const body = parseBody(ModelActionSchema, request.body);
    const choice = await requireModel(context, body.model);
    noteRequest(request, { model: choice.id });
    const signal = clientSignal(reply.raw);
    await context.queue.run(choice.id, signal, () => context.inference.prepare(choice, undefined, signal));
    return { success: true, model: choice.id };
  });

  app.post('/models/unload', async (request, reply) => {
    const body = parseBody(ModelActionSchema, request.body);
    const choice = await requireModel(context, body.model);
    noteRequest(request, { model: choice.id });
    // After the requests already in the model's line, so none of them loses its model mid-way.
    const unloaded = await context.queue.run(choice.id, clientSignal(reply.raw), () =>
      context.inference.unload(choice),
    );
    return { success: true, model: choice.id, unloaded };
  });
}
