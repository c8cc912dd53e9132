import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import type { ApiContext } from '../context';
import { modelFor } from '../default-model';
import { parseBody } from '../schemas';

const PropsQuery = v.looseObject({ model: v.optional(v.pipe(v.string(), v.minLength(1))) });

/**
 * llama-server's `GET /props` (`?model=` for one of several): what clients read to recognise a
 * llama.cpp server and size their prompts. It never loads a model: the context size is the loaded
 * model's (or the one the engine planned for it), else a remote model's declared one, else absent.
 */
export function registerPropsRoute(app: FastifyInstance, context: ApiContext): void {
  app.get('/props', async (request) => {
    const query = parseBody(PropsQuery, request.query ?? {});
    const choice = await modelFor(context, query.model, 'completion');
    const model = (await context.inference.listModels()).find((candidate) => candidate.id === choice.id);
    const loaded = context.inference.loaded().some((candidate) => candidate.id === choice.id);
    const engine = context.inference.engine(choice);
    // A local model's ctx_len is the context it was trained on, not the one it runs with
    // (extensions/llamacpp/load-target.ts): until the engine chose one, n_ctx is absent.
    const declared = engine.runsOn.kind === 'local' ? undefined : model?.settings?.ctx_len;
    const contextSize = engine.contextSize?.(choice.id) ?? declared;
    return {
      default_generation_settings: {
        model: choice.id,
        ...(contextSize ? { n_ctx: contextSize } : {}),
        params: { n_predict: -1 },
      },
      total_slots: context.options.concurrencyPerModel,
      model_alias: choice.id,
      model_path: choice.id,
      loaded,
      modalities: { vision: false, audio: false },
      build_info: 'jan-vscode',
    };
  });
}
