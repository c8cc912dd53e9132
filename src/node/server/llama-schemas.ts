/**
 * The request bodies of llama-server's own routes (`/completion`, `/infill`, `/tokenize`,
 * `/detokenize`, `/models/load|unload`), checked with valibot like the OpenAI ones. `model` is
 * optional: llama-server serves one model, so its clients often name none (default-model.ts).
 */
import * as v from 'valibot';
import { nPredict } from './schemas';

const finite = v.pipe(v.number(), v.finite());
const modelName = v.optional(v.nullable(v.pipe(v.string(), v.minLength(1))));

const sampling = {
  model: modelName,
  n_predict: nPredict,
  max_tokens: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1)))),
  temperature: v.optional(v.nullable(v.pipe(finite, v.minValue(0), v.maxValue(2)))),
  top_p: v.optional(v.nullable(v.pipe(finite, v.minValue(0), v.maxValue(1)))),
  seed: v.optional(v.nullable(v.pipe(v.number(), v.integer()))),
  stop: v.optional(v.nullable(v.union([v.string(), v.pipe(v.array(v.string()), v.maxLength(16))]))),
  stream: v.optional(v.nullable(v.boolean())),
};

export const LlamaCompletionSchema = v.looseObject({
  prompt: v.union([v.string(), v.pipe(v.array(v.string()), v.length(1, 'prompt as a list must hold one string'))]),
  ...sampling,
});
export type LlamaCompletionBody = v.InferOutput<typeof LlamaCompletionSchema>;

export const InfillSchema = v.looseObject({
  input_prefix: v.optional(v.string(), ''),
  input_suffix: v.optional(v.string(), ''),
  input_extra: v.optional(
    v.pipe(v.array(v.looseObject({ filename: v.optional(v.string()), text: v.string() })), v.maxLength(256)),
    [],
  ),
  /** llama-server puts it after the FIM middle token: the start of the middle. */
  prompt: v.optional(v.string(), ''),
  ...sampling,
});
export type InfillBody = v.InferOutput<typeof InfillSchema>;

export const TokenizeSchema = v.looseObject({
  content: v.string(),
  add_special: v.optional(v.boolean(), false),
  with_pieces: v.optional(v.boolean(), false),
  model: modelName,
});

export const DetokenizeSchema = v.looseObject({
  tokens: v.pipe(v.array(v.pipe(v.number(), v.integer())), v.maxLength(1_000_000)),
  model: modelName,
});

export const ModelActionSchema = v.looseObject({ model: v.pipe(v.string(), v.minLength(1)) });
