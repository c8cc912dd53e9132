/**
 * `npm run bench -- server`: the API server (HTTP + SSE, the official openai client) against the
 * same runtime's InferenceService called in this process, same model, same run. One JSON line:
 * - tps_ratio: decode tokens/s a client sees through HTTP streaming ÷ through the engine directly,
 *   median of back-to-back pairs (goal ≥ 0.95)
 * - ttft_added_ms_p50 / ttft_added_ms_p99: time to first token through HTTP minus directly, per pair
 * - concurrent8_tps_ratio: tokens/s over 8 clients streaming at once ÷ one client alone. One model
 *   runs its requests one after another (the server's per-model queue), so ≈ 1 means the queue and
 *   8 open streams cost nothing; each client waits its turn.
 * Token counts (prompt evaluated, generated) are printed beside the ratios.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '@jan/core';
import { SMALL_ENGINE, testSettings } from '../test/support/test-settings';
import type { ChatMessage, ModelChoice } from '@jan/core';
import { JanRuntime } from '../src/node/runtime';
import { startApiServer } from '../src/node/server';
import { bundleEntry } from '../test/support/bundle-entry';
import { STORIES_FIM } from '../test/support/test-models';

const root = process.cwd();
const TPS_ROUNDS = 9;
const TPS_MAX_TOKENS = 400;
const TTFT_PAIRS = 40;
const TTFT_MAX_TOKENS = 4;
const CONCURRENT = 8;
const CONCURRENT_MAX_TOKENS = 200;
const CONCURRENT_ROUNDS = 3;

interface Run {
  ttftMs: number;
  decodeTokensPerSecond: number | undefined;
  tokens: number;
  promptTokens: number;
  wallMs: number;
}

const median = (values: number[]) => percentile(values, 50);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

type Chunks = AsyncIterable<{
  choices: Array<{ delta?: { content?: string | null } }>;
  usage?: { completion_tokens: number; prompt_tokens: number } | null;
}>;

/** Times a stream from `started` (before the request was sent: the HTTP status line itself waits for the first token). */
async function measure(started: number, stream: Chunks | Promise<Chunks>): Promise<Run> {
  let firstAt: number | undefined;
  let lastAt = started;
  let tokens = 0;
  let promptTokens = 0;
  for await (const chunk of await stream) {
    if (chunk.choices[0]?.delta?.content) {
      firstAt ??= performance.now();
      lastAt = performance.now();
    }
    if (chunk.usage) {
      tokens = chunk.usage.completion_tokens;
      promptTokens = chunk.usage.prompt_tokens;
    }
  }
  const ended = performance.now();
  firstAt ??= lastAt;
  const decode = tokens > 1 && lastAt > firstAt ? ((tokens - 1) / (lastAt - firstAt)) * 1000 : undefined;
  return { ttftMs: firstAt - started, decodeTokensPerSecond: decode, tokens, promptTokens, wallMs: ended - started };
}

/** The openai client in its own process (bench/server-client.mjs), as a real client is; it measures what it sees. */
function httpClient() {
  const child = fork(path.join(root, 'bench', 'server-client.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result);
  });
  return {
    call: (message: Record<string, unknown>) =>
      new Promise<unknown>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        child.send({ ...message, id });
      }),
    close: () => child.kill(),
  };
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'jan-bench-server-'));
  const runtime = new JanRuntime({
    janFolder: path.join(scratch, '.jan'),
    modelsFolder: path.join(scratch, 'models'),
    logger: silentLogger,
    workerPath: await bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker', root),
    downloadWorkerPath: path.join(scratch, 'unused.mjs'),
    settings: testSettings({ ...SMALL_ENGINE, 'jan.engine.contextSize': 2048 }),
  });
  await runtime.start();
  const modelId = (await runtime.models.importModel(STORIES_FIM, { mode: 'reference' })).id;
  const choice: ModelChoice = await runtime.inference.choiceFor(modelId);
  const server = await startApiServer(runtime, { port: 0, queuePerModel: CONCURRENT });
  const client = httpClient();
  await client.call({ type: 'connect', baseURL: server.baseUrl, apiKey: server.apiKey });
  const request = (messages: ChatMessage[], maxTokens: number) => ({
    model: modelId,
    messages,
    max_tokens: maxTokens,
    temperature: 0,
  });
  const viaHttpTogether = async (count: number, messages: ChatMessage[], maxTokens: number) =>
    (await client.call({
      type: 'stream',
      requests: Array.from({ length: count }, () => request(messages, maxTokens)),
    })) as { runs: Run[]; wallMs: number };
  const viaHttp = async (messages: ChatMessage[], maxTokens: number): Promise<Run> =>
    (await viaHttpTogether(1, messages, maxTokens)).runs[0]!;
  const viaEngine = (messages: ChatMessage[], maxTokens: number): Promise<Run> =>
    measure(performance.now(), runtime.inference.chat(choice, { messages, max_tokens: maxTokens, temperature: 0 }));

  const story: ChatMessage[] = [{ role: 'user', content: 'Tell me a long story about a brave little cat.' }];
  await viaEngine(story, 16);
  await viaHttp(story, 16);

  const pairedRatios: number[] = [];
  const httpRates: number[] = [];
  const engineRates: number[] = [];
  let decodedTokens = 0;
  for (let round = 0; round < TPS_ROUNDS; round++) {
    const httpFirst = round % 2 === 0;
    const first = httpFirst ? await viaHttp(story, TPS_MAX_TOKENS) : await viaEngine(story, TPS_MAX_TOKENS);
    const second = httpFirst ? await viaEngine(story, TPS_MAX_TOKENS) : await viaHttp(story, TPS_MAX_TOKENS);
    const [http, engine] = httpFirst ? [first, second] : [second, first];
    if (http.decodeTokensPerSecond === undefined || engine.decodeTokensPerSecond === undefined) continue;
    httpRates.push(http.decodeTokensPerSecond);
    engineRates.push(engine.decodeTokensPerSecond);
    pairedRatios.push(http.decodeTokensPerSecond / engine.decodeTokensPerSecond);
    decodedTokens = http.tokens;
  }

  const added: number[] = [];
  let ttftPromptTokens = 0;
  for (let pair = 0; pair < TTFT_PAIRS; pair++) {
    // A question of its own for each run (same length), so neither finds the other's prompt in the KV cache.
    const question = (n: number): ChatMessage[] => [
      { role: 'user', content: `Question ${1000 + n}: what did the dog find?` },
    ];
    const httpFirst = pair % 2 === 0;
    const first = httpFirst
      ? await viaHttp(question(2 * pair), TTFT_MAX_TOKENS)
      : await viaEngine(question(2 * pair), TTFT_MAX_TOKENS);
    const second = httpFirst
      ? await viaEngine(question(2 * pair + 1), TTFT_MAX_TOKENS)
      : await viaHttp(question(2 * pair + 1), TTFT_MAX_TOKENS);
    const [http, engine] = httpFirst ? [first, second] : [second, first];
    added.push(http.ttftMs - engine.ttftMs);
    ttftPromptTokens = http.promptTokens;
  }

  // Alternating one client alone and eight at once; tokens/s over the wall time of each.
  const aloneRates: number[] = [];
  const togetherRates: number[] = [];
  let togetherTokens = 0;
  let complete = 0;
  for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
    const alone = await viaHttpTogether(1, story, CONCURRENT_MAX_TOKENS);
    aloneRates.push((alone.runs[0]!.tokens / alone.wallMs) * 1000);
    const together = await viaHttpTogether(CONCURRENT, story, CONCURRENT_MAX_TOKENS);
    togetherTokens = together.runs.reduce((sum, run) => sum + run.tokens, 0);
    complete = together.runs.filter((run) => run.tokens > 0).length;
    togetherRates.push((togetherTokens / together.wallMs) * 1000);
  }
  client.close();

  await server.close();
  await runtime.stop();
  rmSync(scratch, { recursive: true, force: true });

  console.log(
    JSON.stringify({
      bench: 'server',
      model: modelId,
      threads: 1,
      cpus: os.cpus().length,
      load_average_1m: round(os.loadavg()[0]!, 2),
      tps_ratio: round(median(pairedRatios)),
      tps_http: round(median(httpRates), 1),
      tps_engine: round(median(engineRates), 1),
      decoded_tokens: decodedTokens,
      tps_rounds: TPS_ROUNDS,
      ttft_added_ms_p50: round(percentile(added, 50), 2),
      ttft_added_ms_p99: round(percentile(added, 99), 2),
      ttft_pairs: TTFT_PAIRS,
      ttft_prompt_tokens: ttftPromptTokens,
      concurrent8_tps_ratio: round(median(togetherRates) / median(aloneRates)),
      concurrent8_tokens: togetherTokens,
      concurrent8_complete: complete,
      concurrent8_rounds: CONCURRENT_ROUNDS,
    }),
  );
}

await main();
