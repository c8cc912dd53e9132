import type { InferenceService, Logger, ModelChoice } from '@jan/core';
import { ApiError } from './errors';
import type { ModelQueue } from './model-queue';
import type { ResolvedServerOptions } from './options';

/** What every route needs: the one inference path, the queue, the options, the log. */
export interface ApiContext {
  inference: InferenceService;
  logger: Logger;
  options: ResolvedServerOptions;
  queue: ModelQueue;
}

/** The model a request names, if it is installed or an engine lists it (read again once, for a model added meanwhile); else 404. */
export async function requireModel(context: ApiContext, modelId: string): Promise<ModelChoice> {
  let listed = (await context.inference.listModels()).some((model) => model.id === modelId);
  if (!listed) {
    context.inference.refreshModels();
    listed = (await context.inference.listModels()).some((model) => model.id === modelId);
  }
  if (!listed)
    throw new ApiError(
      404,
      `The model '${modelId}' does not exist. GET /v1/models lists the installed ones.`,
      'invalid_request_error',
      'model_not_found',
      'model',
    );
  return context.inference.choiceFor(modelId);
}
