import type { ArgsOf, ResultOf } from '../rpc/methods';
import type { CallContext } from '../rpc/server';
import type { LoadedModel } from './loaded-model';
import { finishReasonOf, generationOptions } from './sampling';

/**
 * Fill-in-the-middle with the model's FIM tokens (node-llama-cpp's infill). A model without
 * them still completes: it continues the prefix, which is what the editor needs most.
 */
export function runCompletion(loaded: LoadedModel, args: ArgsOf<'complete'>, context: CallContext<'complete'>): Promise<ResultOf<'complete'>> {
  return loaded.completionLock.run(async () => {
    const completion = await loaded.completion();
    const infill = completion.infillSupported;
    let tokens = 0;
    const options = {
      ...generationOptions(args.sampling, loaded.info.contextSize),
      signal: context.signal,
      stopOnAbortSignal: true,
      onToken: (generated: readonly unknown[]) => {
        tokens += generated.length;
      },
    };
    if (context.signal.aborted) return { text: '', finishReason: 'abort', tokens: 0, infill };
    try {
      const response = infill
        ? await completion.generateInfillCompletionWithMeta(args.prefix, args.suffix, options)
        : await completion.generateCompletionWithMeta(args.prefix, options);
      return { text: response.response, finishReason: finishReasonOf(response.metadata.stopReason), tokens, infill };
    } catch (error) {
      if (context.signal.aborted) return { text: '', finishReason: 'abort', tokens, infill };
      throw error;
    }
  });
}
