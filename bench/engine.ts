/**
 * `npm run bench -- engine`: the llama.cpp engine through the runtime a user runs (JanRuntime on a
 * temporary `.jan` and models folder, the test model imported as a user imports it), one JSON
 * line. Ratios against a baseline taken in the same run; token counts where time is noisy; mean
 * and max (or min for speeds), never a median.
 * - tps_ratio (goal ≥ 0.97): decode tokens/s through InferenceService ÷ node-llama-cpp direct,
 *   back-to-back pairs; ttft_turn10_ratio (goal ≤ 1.2): time to first token at turn 10 ÷ turn 1;
 *   remote_tps_ratio (≥ 0.97): the remote engine ÷ the `openai` client on the same server
 * - switch_eval_ratio_* (≤ 1.5): prompt tokens evaluated on the first turn after switching threads ÷
 *   the tokens the turn added (bench/engine/cache.ts)
 * - overflow_eval_ratio_mean (≤ 1.3) and _max: the same past the context, every turn counted
 * - restart_eval_ratio (≤ 1.5; mean, and _max), unload_eval_ratio_*, idle_unload_eval_ratio_*: the
 *   first turn of pooled threads after the runtime restarts, the model unloads, the idle unload
 * - context_size_respected: an imported model trained at 131,072 tokens gets the context setting
 * - rewrite_accepted_draft_ratio with rewrite_outputs_identical: prompt lookup on a Fix
 * - memory_plan_ratio_<model> (0.75–1.25): the plan's estimate ÷ the worker's measured memory
 */
import * as os from 'node:os';
import { STORIES_FIM } from '../test/support/test-models';
import { measureOverflow, measureStops, measureSwitching } from './engine/cache';
import { measureContextRule, measureMemoryPlan, measureRewrite } from './engine/hardware';
import { BenchHome, CONTEXT, storyRequest, THREADS } from './engine/setup';
import { measureRemote, measureSpeed } from './engine/speed';

async function main(): Promise<void> {
  const home = new BenchHome();
  try {
    let runtime = await home.open();
    const model = await runtime.models.importModel(STORIES_FIM, { mode: 'reference' });
    home.chatModel = model.id;
    const speed = await measureSpeed(runtime, model.id, STORIES_FIM);
    const remote = await measureRemote(runtime.llamacpp.engine, model.id, storyRequest);
    const switching = await measureSwitching(runtime);
    const overflow = await measureOverflow(runtime);
    const stops = await measureStops(home, runtime);
    runtime = stops.runtime;
    const rewrite = await measureRewrite(home, runtime, model.id);
    const context = await measureContextRule(home, runtime);
    const memory = await measureMemoryPlan(runtime);
    await runtime.stop();
    console.log(
      JSON.stringify({
        bench: 'engine',
        model: model.id,
        threads: THREADS,
        context: CONTEXT,
        cpus: os.cpus().length,
        load_average_1m: Math.round(os.loadavg()[0]! * 100) / 100,
        ...speed,
        ...remote,
        ...switching,
        ...overflow,
        restart_eval_ratio: stops.results.restart_eval_ratio_mean,
        ...stops.results,
        ...rewrite,
        ...context,
        ...memory,
      }),
    );
  } finally {
    home.dispose();
  }
}

await main();
