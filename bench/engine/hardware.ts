/**
 * The hardware side through the runtime: the context an imported model with a long training
 * context really gets, prompt-lookup drafting on a rewrite (same greedy output, drafts kept),
 * and the memory plan's estimate against the worker's measured resident memory per test model.
 */
import * as path from 'node:path';
import { EDIT_SYSTEM_PROMPT } from '@jan/core';
import type { ChatMessage } from '@jan/core';
import type { JanRuntime } from '../../src/node/runtime';
import { writeGgufVariant } from '../../test/support/gguf-variant';
import { STORIES, STORIES_FIM, TINYSTORIES } from '../../test/support/test-models';
import { mean, readStream, round } from './setup';

/**
 * Fresh workers per model, averaged: with a test model's few megabytes, when the worker's
 * JavaScript heap last collected moves one reading by a third.
 */
const MEMORY_SAMPLES = 5;
import type { BenchHome } from './setup';

const TRAINED = 131_072;
const CONTEXT_SETTING = 1024;

/** A model "trained" at 131,072 tokens, imported as a user imports: the setting must decide its context. */
export async function measureContextRule(home: BenchHome, runtime: JanRuntime) {
  const file = path.join(home.root, 'stories-131k.gguf');
  writeGgufVariant(STORIES_FIM, file, { 'llama.context_length': TRAINED });
  const model = await runtime.models.importModel(file, { mode: 'reference' });
  const engine = runtime.llamacpp.engine;
  home.set('jan.engine.contextSize', CONTEXT_SETTING);
  await runtime.inference.prepare({ id: model.id, engine: 'llamacpp' }, {});
  const loaded = engine.contextSize(model.id);
  home.set('jan.engine.contextSize', 0);
  const auto = await engine.plan(model.id);
  await engine.unload(model.id);
  return {
    context_size_respected: loaded === CONTEXT_SETTING && (model.settings.ctx_len as number) === TRAINED,
    context_size_loaded: loaded,
    context_train: auto.trainContextSize,
    context_auto: auto.contextSize,
    context_auto_limit: auto.contextLimit,
  };
}

/**
 * Text in the test model's own style: a story model is not a rewriter, and only such text makes
 * its reply follow the prompt for stretches long enough to draft from. The reply starts inside
 * the code block (an assistant prefill), as a rewrite's does.
 */
const STORY = [
  'Once upon a time, there was a little girl named Lily. She was very excited to go to the park with her mommy.',
  'Lily was so excited to see all her friends. She asked her mommy, "Mommy, can we go to the park?"',
].join('\n');

/** A Fix on a selection as the command sends it, with prompt lookup and without: same text, drafts kept. */
export async function measureRewrite(home: BenchHome, runtime: JanRuntime, modelId: string) {
  const messages: ChatMessage[] = [
    { role: 'system', content: EDIT_SYSTEM_PROMPT },
    { role: 'user', content: `Fix the bugs in this code.\n\n\`\`\`text\n${STORY}\n\`\`\`` },
    { role: 'assistant', content: '```text\nOnce upon a time' },
  ];
  const rewrite = () =>
    readStream(
      runtime.inference.chat({ id: modelId, engine: 'llamacpp' }, { messages, max_tokens: 160, temperature: 0 }),
    );
  home.set('jan.engine.promptLookup', 'off');
  await rewrite();
  const plain = await rewrite();
  home.set('jan.engine.promptLookup', 'auto');
  await rewrite();
  const drafted = await rewrite();
  const draftTokens = drafted.timings?.draft_n ?? 0;
  const accepted = drafted.timings?.draft_n_accepted ?? 0;
  return {
    rewrite_outputs_identical: drafted.text === plain.text,
    rewrite_tokens: drafted.tokens,
    rewrite_draft_tokens: draftTokens,
    rewrite_accepted_draft_tokens: accepted,
    rewrite_accepted_draft_ratio: draftTokens > 0 ? round(accepted / draftTokens) : 0,
    rewrite_decode_ms_ratio: round(drafted.decodeMs / plain.decodeMs),
  };
}

/**
 * Per test model, in a fresh worker: resident memory after loading it and running it once, less
 * the worker's memory before, against the plan's estimate (model + chat context + completion context).
 */
export async function measureMemoryPlan(runtime: JanRuntime) {
  const engine = runtime.llamacpp.engine;
  const ratios: Record<string, number> = {};
  for (const file of [STORIES, STORIES_FIM, TINYSTORIES]) {
    const model = await runtime.models.importModel(file, { mode: 'reference' });
    const choice = { id: model.id, engine: 'llamacpp' };
    const measured: number[] = [];
    let estimate = 0;
    for (let sample = 0; sample < MEMORY_SAMPLES; sample++) {
      await engine.unload();
      await engine.plan(model.id);
      const before = (await engine.workerStatus())!.rssBytes;
      await runtime.inference.prepare(choice, {});
      // Completion on every model (the chat template of the 656K model writes characters its vocabulary lacks).
      await runtime.inference.complete(choice, {
        prefix: 'Once upon a time',
        suffix: '',
        max_tokens: 16,
        temperature: 0,
      });
      const status = (await engine.workerStatus())!;
      const loaded = status.models.find((entry) => entry.modelId === model.id)!;
      // A model used only for completion never makes its chat sequences.
      estimate = loaded.modelRamBytes + (loaded.chatAllocated ? loaded.chatRamBytes : 0) + loaded.completionRamBytes;
      measured.push(status.rssBytes - before);
    }
    const name = path.basename(file, '.gguf');
    ratios[`memory_plan_ratio_${name}`] = round(estimate / mean(measured));
    ratios[`memory_plan_estimate_mib_${name}`] = round(estimate / 1024 ** 2, 1);
    ratios[`memory_plan_measured_mib_mean_${name}`] = round(mean(measured) / 1024 ** 2, 1);
    ratios[`memory_plan_measured_mib_max_${name}`] = round(Math.max(...measured) / 1024 ** 2, 1);
  }
  await engine.unload();
  const values = Object.entries(ratios)
    .filter(([key]) => key.startsWith('memory_plan_ratio_'))
    .map(([, value]) => value);
  return {
    ...ratios,
    memory_plan_within_25_percent: values.every((ratio) => ratio >= 0.75 && ratio <= 1.25),
  };
}
