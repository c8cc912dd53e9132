import type { FastifyInstance } from 'fastify';
import type { Model } from '@jan/core';
import type { ApiContext } from '../context';
import { requireModel } from '../context';

/** Every installed model, loaded or not (a request loads its model on demand), in OpenAI's list shape. */
export function registerModelRoutes(app: FastifyInstance, context: ApiContext): void {
  app.get('/models', async () => {
    const models = await context.inference.listModels();
    return { object: 'list', data: models.map(describe) };
  });

  app.get<{ Params: { id: string } }>('/models/:id', async (request) => {
    await requireModel(context, request.params.id);
    const model = (await context.inference.listModels()).find((candidate) => candidate.id === request.params.id)!;
    return describe(model);
  });
}

function describe(model: Model) {
  // Jan wrote `created` in seconds or milliseconds over its versions; OpenAI's is seconds.
  const created = model.created > 1e11 ? Math.floor(model.created / 1000) : Math.floor(model.created);
  return { id: model.id, object: 'model', created, owned_by: model.engine, name: model.name };
}
