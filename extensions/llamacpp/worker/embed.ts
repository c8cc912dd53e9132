import { InsufficientMemoryError } from 'node-llama-cpp';
import type { LlamaEmbeddingContext } from 'node-llama-cpp';
import type { ArgsOf, ResultOf } from '../rpc/methods';
import type { CallContext } from '../rpc/server';
import { WorkerError } from '../rpc/server';
import type { LoadedModel } from './loaded-model';
import { Mutex } from './mutex';

interface EmbeddingParts {
  context: Promise<LlamaEmbeddingContext>;
  lock: Mutex;
}

/**
 * A loaded model's embedding context, created on first use beside its chat and completion
 * contexts (so embeddings never evict their KV caches). node-llama-cpp disposes it with the
 * model, so nothing here outlives an unload.
 */
const embeddingParts = new WeakMap<LoadedModel, EmbeddingParts>();

/**
 * Inputs embed in at most this many tokens: the chat's context may be the model's whole training
 * context (worker/model-plan.ts), far more than one text to embed needs.
 */
const MAX_EMBEDDING_CONTEXT = 8192;

function embeddingContextSize(loaded: LoadedModel): number {
  return Math.min(loaded.info.contextSize, MAX_EMBEDDING_CONTEXT);
}

function partsOf(loaded: LoadedModel): EmbeddingParts {
  let parts = embeddingParts.get(loaded);
  if (!parts) {
    const created: EmbeddingParts = {
      lock: new Mutex(),
      // node-llama-cpp checks the memory the context needs before creating it.
      context: loaded.model
        .createEmbeddingContext({ contextSize: embeddingContextSize(loaded) })
        .catch((error: unknown) => {
          if (error instanceof InsufficientMemoryError) {
            throw new WorkerError(
              'INSUFFICIENT_MEMORY',
              `An embedding context for model "${loaded.id}" does not fit in memory: ${error.message}`,
            );
          }
          throw error;
        }),
    };
    created.context.catch(() => embeddingParts.delete(loaded));
    embeddingParts.set(loaded, created);
    parts = created;
  }
  return parts;
}

/**
 * The vector scaled to length 1, as OpenAI's and llama-server's are: stores that rank by dot
 * product (most vector databases) then rank by cosine similarity, as they expect.
 */
export function unitLength(vector: readonly number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum);
  return length > 0 ? vector.map((value) => value / length) : [...vector];
}

/** node-llama-cpp's embedding of each input, one after another; an input longer than the context is refused by index. */
export function runEmbedding(
  loaded: LoadedModel,
  args: ArgsOf<'embed'>,
  call: CallContext<'embed'>,
): Promise<ResultOf<'embed'>> {
  const parts = partsOf(loaded);
  return parts.lock.run(async () => {
    const context = await parts.context;
    const embeddings: number[][] = [];
    let tokens = 0;
    for (const [index, input] of args.inputs.entries()) {
      if (call.signal.aborted) throw new WorkerError('ABORTED', 'The embedding request was cancelled');
      const length = context.calculateInputLength(input);
      if (length > embeddingContextSize(loaded)) {
        throw new WorkerError(
          'CONTEXT_TOO_LONG',
          `Input ${index} has ${length} tokens; model "${loaded.id}" embeds at most ${embeddingContextSize(loaded)}.`,
        );
      }
      const embedding = await context.getEmbeddingFor(input);
      embeddings.push(unitLength(embedding.vector));
      tokens += length;
    }
    return { embeddings, tokens };
  });
}
