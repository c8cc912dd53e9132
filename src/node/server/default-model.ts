import type { ModelChoice, ModelPurpose } from '@jan/core';
import type { ApiContext } from './context';
import { requireModel } from './context';
import { invalidRequest } from './errors';

/**
 * The model of a llama-server request: the one it names, else the server's default (`serve
 * --model`), else the user's model for the purpose, else the only one loaded, else the only one
 * installed. llama-server serves one model, so its clients often name none.
 */
export async function modelFor(
  context: ApiContext,
  named: string | null | undefined,
  purpose: ModelPurpose,
): Promise<ModelChoice> {
  if (named) return requireModel(context, named);
  const fallback =
    context.options.defaultModel ??
    context.inference.chosenId(purpose) ??
    only(context.inference.loaded().map((model) => model.id)) ??
    only((await context.inference.listModels()).map((model) => model.id));
  if (!fallback) {
    throw invalidRequest(
      "Name the model in 'model': this server has several (GET /v1/models lists them).",
      'model',
      'missing_required_parameter',
    );
  }
  return requireModel(context, fallback);
}

function only(ids: string[]): string | undefined {
  return ids.length === 1 ? ids[0] : undefined;
}
