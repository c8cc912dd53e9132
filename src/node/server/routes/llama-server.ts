import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';
import { registerLlamaCompletionRoutes } from './llama-completion';
import { registerLoadedModelRoutes } from './loaded-models';
import { registerModelRoutes } from './models';
import { registerPropsRoute } from './props';
import { registerTokenRoutes } from './tokens';

/**
 * llama-server's own routes, at the root as llama-server has them, so its clients (llama.vscode,
 * our remote engine's llama.cpp preset) work unchanged: `/completion`, `/infill`, `/tokenize`,
 * `/detokenize`, `/props`, and router mode's `/models` with `/models/load|unload`.
 */
export function registerLlamaServerRoutes(app: FastifyInstance, context: ApiContext): void {
  registerLlamaCompletionRoutes(app, context);
  registerTokenRoutes(app, context);
  registerPropsRoute(app, context);
  registerLoadedModelRoutes(app, context);
  // Without a prefix the OpenAI routes are at the root already.
  if (context.options.prefix) registerModelRoutes(app, context);
}
