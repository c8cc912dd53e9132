/**
 * `npm run bench -- inline-edit`: inline chat at a cursor through the runtime the extension runs
 * (JanRuntime → runCodeEdit → InferenceService → the llama.cpp worker) on the test model. Each
 * round is an edit at a new spot of the same file, then a second try there with other words (as
 * after a Reject); every third round starts with the model unloaded, and the run ends with a
 * restarted runtime. Prints one JSON line, every figure as mean and max:
 * - first_visible_ratio: time until the diff can show the first line ÷ time until the answer is
 *   complete, the wait of an edit shown only when finished (the baseline, same edit)
 * - first_visible_ms, complete_ms: the two times themselves
 * - retry_evaluated_ratio: prompt tokens evaluated for the second try ÷ for the first (the rest
 *   is found in the KV cache); retry_first_token_ratio: the same for the time to the first token
 * - prompt_tokens, evaluated_prompt_tokens: per edit, the prompt and the part evaluated
 * - generated_tokens: tokens the model wrote (at most the insertion limit)
 * - opening_prompt_tokens: what opening the code block for the model adds to the prompt
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { insertionEdit, MemoryLogger, openingText, runCodeEdit } from '@jan/core';
import type { ChatMessage, ModelChoice } from '@jan/core';
import { JanRuntime } from '../src/node/runtime';
import { bundleEntry } from '../test/support/bundle-entry';
import { STORIES_FIM } from '../test/support/test-models';
import { SMALL_ENGINE, testSettings } from '../test/support/test-settings';

const ROUNDS = 6;
const UNLOAD_EVERY = 3;

/** A Python file of small functions; the cursor goes on the blank line after function `at`. */
function source(functions: number): string[] {
  return Array.from({ length: functions }, (_, index) => [
    `def scale_${index}(values, factor=${index + 1}):`,
    `    return [value * factor for value in values]`,
    '',
  ]).flat();
}

interface Round {
  firstTokenMs: number;
  firstVisibleMs: number;
  completeMs: number;
  promptTokens: number;
  evaluatedPromptTokens: number;
  generatedTokens: number;
}

const stats = (values: number[]) => ({
  mean: Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 1000) / 1000,
  max: Math.round(Math.max(...values) * 1000) / 1000,
});

async function openRuntime(root: string, logger: MemoryLogger): Promise<{ runtime: JanRuntime; model: ModelChoice }> {
  const runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger,
    workerPath: await bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker', process.cwd()),
    downloadWorkerPath: path.join(root, 'unused-download-worker.mjs'),
    settings: testSettings({ ...SMALL_ENGINE, 'jan.engine.contextSize': 2048 }),
  });
  await runtime.start();
  const installed = (await runtime.models.listModels()).models[0];
  const id = installed?.id ?? (await runtime.models.importModel(STORIES_FIM, { mode: 'reference' })).id;
  return { runtime, model: await runtime.inference.choiceFor(id) };
}

/** The prompt line of the last generation the log reports: "prompt N tokens (M cached)". */
function lastPrompt(logger: MemoryLogger): { prompt: number; cached: number } {
  const line = logger.messages('info').findLast((message) => / prompt \d+ tokens/.test(message)) ?? '';
  const match = / prompt (\d+) tokens(?: \((\d+) cached\))?/.exec(line);
  return { prompt: Number(match?.[1] ?? 0), cached: Number(match?.[2] ?? 0) };
}

const INSTRUCTIONS = ['Write a function that scales by two.', 'Now write one that scales by three instead.'];

function request(line: number, instruction = INSTRUCTIONS[0]!) {
  return insertionEdit({ lines: source(12), line, languageId: 'python', fileName: 'scale.py', instruction }).edit;
}

async function edit(
  runtime: JanRuntime,
  model: ModelChoice,
  logger: MemoryLogger,
  line: number,
  instruction?: string,
): Promise<Round> {
  const started = performance.now();
  let firstTokenAt: number | undefined;
  let firstVisibleAt: number | undefined;
  const outcome = await runCodeEdit(runtime.inference, model, request(line, instruction), {
    logger,
    onProgress: ({ replacement }) => {
      firstTokenAt ??= performance.now();
      if (replacement !== undefined) firstVisibleAt ??= performance.now();
    },
  });
  const completeMs = performance.now() - started;
  const prompt = lastPrompt(logger);
  return {
    firstTokenMs: (firstTokenAt ?? performance.now()) - started,
    firstVisibleMs: (firstVisibleAt ?? performance.now()) - started,
    completeMs,
    promptTokens: prompt.prompt,
    evaluatedPromptTokens: prompt.prompt - prompt.cached,
    generatedTokens: outcome.tokens,
  };
}

async function promptTokens(runtime: JanRuntime, model: ModelChoice, messages: ChatMessage[]): Promise<number> {
  let tokens = 0;
  for await (const chunk of runtime.inference.chat(model, { messages, stream: true, max_tokens: 1 }))
    tokens = chunk.usage?.prompt_tokens ?? tokens;
  return tokens;
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'jan-bench-inline-edit-'));
  const logger = new MemoryLogger();
  const rounds: Round[] = [];
  const retries: Array<{ first: Round; retry: Round }> = [];
  try {
    let { runtime, model } = await openRuntime(root, logger);
    const spot = async (line: number) => {
      const first = await edit(runtime, model, logger, line);
      const retry = await edit(runtime, model, logger, line, INSTRUCTIONS[1]);
      rounds.push(first, retry);
      retries.push({ first, retry });
    };
    for (let round = 0; round < ROUNDS; round++) {
      if (round % UNLOAD_EVERY === 0) await runtime.inference.engine(model).unload(model.id);
      // The cursor moves one function down each round: the edits share the file, not the spot.
      await spot(2 + 3 * round);
    }
    await runtime.stop();
    ({ runtime, model } = await openRuntime(root, logger));
    await spot(2);
    const opening = request(2);
    const plain = await promptTokens(runtime, model, opening.messages);
    const opened = await promptTokens(runtime, model, [
      ...opening.messages,
      { role: 'assistant', content: openingText(opening.opening) },
    ]);
    await runtime.stop();
    console.log(
      JSON.stringify({
        bench: 'inline-edit',
        rounds: rounds.length,
        first_visible_ratio: stats(rounds.map((round) => round.firstVisibleMs / round.completeMs)),
        first_visible_ms: stats(rounds.map((round) => round.firstVisibleMs)),
        complete_ms: stats(rounds.map((round) => round.completeMs)),
        retry_evaluated_ratio: stats(
          retries.map(({ first, retry }) => retry.evaluatedPromptTokens / first.evaluatedPromptTokens),
        ),
        retry_first_token_ratio: stats(retries.map(({ first, retry }) => retry.firstTokenMs / first.firstTokenMs)),
        prompt_tokens: stats(rounds.map((round) => round.promptTokens)),
        evaluated_prompt_tokens: stats(rounds.map((round) => round.evaluatedPromptTokens)),
        generated_tokens: stats(rounds.map((round) => round.generatedTokens)),
        opening_prompt_tokens: opened - plain,
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
