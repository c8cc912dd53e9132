import type { Sampling } from '../rpc/methods';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'abort';

/** node-llama-cpp generation options from the request's OpenAI-style sampling values. */
export function generationOptions(sampling: Sampling, contextSize: number) {
  // Stop strings are matched on the text by the caller (stop-text.ts), not by node-llama-cpp.
  const penalties = sampling.frequencyPenalty || sampling.presencePenalty;
  return {
    temperature: sampling.temperature,
    topP: sampling.topP,
    topK: sampling.topK,
    seed: sampling.seed,
    // Without a limit a model that never emits end-of-generation would run on through context shifts.
    maxTokens: sampling.maxTokens ?? contextSize,
    // OpenAI allows -2..2; llama.cpp's penalties are 0..1, and negative ones are not supported.
    repeatPenalty: penalties
      ? {
          frequencyPenalty: clampPenalty(sampling.frequencyPenalty),
          presencePenalty: clampPenalty(sampling.presencePenalty),
        }
      : undefined,
  };
}

function clampPenalty(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.min(1, Math.max(0, value));
}

export function finishReasonOf(stopReason: string): FinishReason {
  if (stopReason === 'maxTokens') return 'length';
  if (stopReason === 'abort') return 'abort';
  if (stopReason === 'functionCalls') return 'tool_calls';
  return 'stop';
}
