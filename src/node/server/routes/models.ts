import type { FastifyInstance } from 'fastify';
import { SELF_REQUEST_HEADER, SELF_REQUEST_ID } from '@jan/core';
import type { Model } from '@jan/core';
import type { ApiContext } from '../context';
import { requireModel } from '../context';

/**
 * Every installed model, loaded or not (a request loads its model on demand), in OpenAI's list
 * shape, each with llama-server router mode's `status` (`loaded` or `unloaded`).
 */
export function registerModelRoutes(app: FastifyInstance, context: ApiContext): void {
  app.get('/models', async (request) => {
    // Asked by a remote engine of this very process (pointed at this server): only this machine's models.
    const models =
      request.headers[SELF_REQUEST_HEADER] === SELF_REQUEST_ID
        ? await context.inference.listLocalModels()
        : await context.inference.listModels();
    const loaded = loadedIds(context);
    return { object: 'list', data: models.map((model) => describe(model, loaded)) };
  });

  app.get<{ Params: { id: string } }>('/models/:id', async (request) => {
    await requireModel(context, request.params.id);
    const model = (await context.inference.listModels()).find((candidate) => candidate.id === request.params.id)!;
    return describe(model, loadedIds(context));
  });
}

function loadedIds(context: ApiContext): Set<string> {
  return new Set(context.inference.loaded().map((model) => model.id));
}

function describe(model: Model, loaded: Set<string>) {
  // Jan wrote `created` in seconds or milliseconds over its versions; OpenAI's is seconds.
  const created = model.created > 1e11 ? Math.floor(model.created / 1000) : Math.floor(model.created);
  return {
    id: model.id,
    object: 'model',
    created,
    owned_by: model.engine,
    name: model.name,
    status: { value: loaded.has(model.id) ? 'loaded' : 'unloaded' },
  };
}
