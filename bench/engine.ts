/**
 * `npm run bench -- engine`: the llama.cpp engine's worker path against node-llama-cpp called
 * directly in this process, same model, same settings, same run, alternating. Prints one JSON line:
 * - tps_ratio: decode tokens/s seen by the consumer through the engine ÷ direct, median of
 *   back-to-back pairs (goal ≥ 0.97)
 * - ttft_turn10_ratio: time to first token on turn 10 of a growing conversation ÷ turn 1, through
 *   the engine (goal ≤ 1.2, from KV-cache reuse); ttft_turn10_ratio_direct is the same figure for
 *   node-llama-cpp direct, i.e. what the model's own attention over a longer context costs
 * - ttft_overhead_ms: median extra time to first token of the engine path over direct
 * - remote_tps_ratio: decode tokens/s through the remote engine (extensions/remote/) ÷ the same
 *   OpenAI-compatible server on 127.0.0.1 read directly with the `openai` client, same run,
 *   alternating pairs (goal ≥ 0.97); the server's tokens come from the engine above
 * - remote_ttft_added_ms: median extra time to first token of the remote engine over the client
 * - switch_eval_ratio: prompt tokens evaluated on the first turn after switching between two
 *   threads of 8 turns ÷ tokens of that new turn (goal ≤ 1.5: the KV sequence pool keeps both);
 *   switch_ttft_ratio: time to first token after a switch ÷ staying in the thread (goal ≤ 1.3)
 * - overflow_eval_ratio: median prompt tokens evaluated per turn over 15 turns of a thread past
 *   its context window (fitted by the core's buildChatRequest, as a chat turn is) ÷ tokens of a
 *   turn (goal ≤ 3: old turns are dropped in one step, so the next turns share a stable prefix)
 */
import * as os from 'node:os';
import { getLlama, LlamaChat } from 'node-llama-cpp';
import type { ChatHistoryItem } from 'node-llama-cpp';
import OpenAI from 'openai';
import { buildChatRequest, textContent } from '@jan/core';
import type { ChatCompletionChunk, ChatMessage, InferenceEngine, Thread, ThreadMessage } from '@jan/core';
import { LlamaCppEngine } from '../extensions/llamacpp/engine';
import { RemoteEngine, parseDefinition } from '../extensions/remote';
import { bundleEntry } from '../test/support/bundle-entry';
import { OpenAITestServer } from '../test/support/openai-test-server';
import { llamaCppModel, STORIES_FIM } from '../test/support/test-models';

const root = process.cwd();
const MODEL_ID = 'stories260K-chatml-fim';
const MODEL_FILE = STORIES_FIM;
const THREADS = 1;
const CONTEXT = 2048;
const TPS_ROUNDS = 11;
const TPS_MAX_TOKENS = 400;
const CONVERSATIONS = 5;
const REMOTE_ROUNDS = 9;
const TURNS = 10;
const TURN_MAX_TOKENS = 24;
const SYSTEM = 'You are a storyteller. You tell short stories for children.';
const SWITCH_TURNS = 8;
const SWITCH_ROUNDS = 6;
const OVERFLOW_TURNS = 15;
const OVERFLOW_QUESTION =
  'Once upon a time there was a little girl named Lily who loved to play in the park with her dog. ';

interface Turn {
  ttftMs: number;
  decodeTokensPerSecond: number | undefined;
  text: string;
  tokens: number;
  promptTokens?: number;
  cachedTokens?: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Consumer-side decode speed: tokens after the first, over the time from the first to the last. */
function decodeRate(tokens: number, firstAt: number, lastAt: number): number | undefined {
  return tokens > 1 && lastAt > firstAt ? ((tokens - 1) / (lastAt - firstAt)) * 1000 : undefined;
}

interface Streamed {
  ttftMs: number;
  decodeTokensPerSecond: number | undefined;
  tokens: number;
}

/** Reads a stream of OpenAI-shaped chunks the way a consumer does: first and last text, tokens from usage. */
async function timeStream(
  chunks: AsyncIterable<Pick<ChatCompletionChunk, 'choices' | 'usage'>>,
  started: number,
): Promise<Streamed> {
  let firstAt: number | undefined;
  let lastAt = started;
  let tokens = 0;
  for await (const chunk of chunks) {
    if (chunk.choices[0]?.delta.content) {
      firstAt ??= performance.now();
      lastAt = performance.now();
    }
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  firstAt ??= lastAt;
  return { ttftMs: firstAt - started, decodeTokensPerSecond: decodeRate(tokens, firstAt, lastAt), tokens };
}

/**
 * The remote engine against the `openai` client on the same server (test/support/openai-test-server.ts
 * streaming `backend`'s real tokens over HTTP on 127.0.0.1), alternating, back-to-back pairs.
 */
async function measureRemote(backend: InferenceEngine, messages: ChatMessage[]) {
  const server = await OpenAITestServer.start({ backend, modelId: MODEL_ID });
  const parsed = parseDefinition({
    id: 'bench',
    name: 'bench server',
    preset: 'openai-compatible',
    baseUrl: server.baseUrl,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const remote = new RemoteEngine({ definition: parsed.value, apiKey: async () => undefined });
  const client = new OpenAI({ apiKey: 'no-key', baseURL: server.baseUrl, maxRetries: 0, logLevel: 'off' });
  const viaRemote = () =>
    timeStream(
      remote.chat({ model: `bench/${MODEL_ID}`, messages, max_tokens: TPS_MAX_TOKENS, temperature: 0 }),
      performance.now(),
    );
  const viaClient = async () => {
    const started = performance.now();
    const stream = await client.chat.completions.create({
      model: MODEL_ID,
      messages,
      max_tokens: TPS_MAX_TOKENS,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    return timeStream(stream as AsyncIterable<Pick<ChatCompletionChunk, 'choices' | 'usage'>>, started);
  };
  await viaRemote();
  await viaClient();
  const ratios: number[] = [];
  const added: number[] = [];
  let tokens = 0;
  for (let round = 0; round < REMOTE_ROUNDS; round++) {
    const remoteFirst = round % 2 === 0;
    const first = remoteFirst ? await viaRemote() : await viaClient();
    const second = remoteFirst ? await viaClient() : await viaRemote();
    const [throughEngine, direct] = remoteFirst ? [first, second] : [second, first];
    added.push(throughEngine.ttftMs - direct.ttftMs);
    tokens = throughEngine.tokens;
    if (throughEngine.decodeTokensPerSecond !== undefined && direct.decodeTokensPerSecond !== undefined) {
      ratios.push(throughEngine.decodeTokensPerSecond / direct.decodeTokensPerSecond);
    }
  }
  await server.close();
  return {
    remote_tps_ratio: round(median(ratios)),
    remote_ttft_added_ms: round(median(added), 2),
    remote_decoded_tokens: tokens,
    remote_rounds: REMOTE_ROUNDS,
  };
}

async function main(): Promise<void> {
  const model = llamaCppModel(MODEL_ID);
  const engine = new LlamaCppEngine({
    resolveModel: async (id) => (id === MODEL_ID ? { model, filePath: MODEL_FILE } : undefined),
    settings: () => ({
      threads: THREADS,
      gpu: 'off',
      contextSize: CONTEXT,
      completionContextSize: CONTEXT,
      idleUnloadMinutes: 0,
      transport: 'process',
    }),
    workerPath: await bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker', root),
  });
  await engine.load(MODEL_ID);

  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: THREADS, logLevel: 'error' as never });
  const direct = await llama.loadModel({ modelPath: MODEL_FILE });
  const context = await direct.createContext({ contextSize: CONTEXT, sequences: 1 });
  const chat = new LlamaChat({ contextSequence: context.getSequence() });

  const viaEngine = async (messages: ChatMessage[], maxTokens: number, sessionKey: string): Promise<Turn> => {
    const started = performance.now();
    let firstAt: number | undefined;
    let lastAt = started;
    let text = '';
    let tokens = 0;
    let promptTokens: number | undefined;
    let cachedTokens: number | undefined;
    for await (const chunk of engine.chat({
      model: MODEL_ID,
      messages,
      max_tokens: maxTokens,
      temperature: 0,
      session_key: sessionKey,
    })) {
      const content = chunk.choices[0]?.delta.content;
      if (content) {
        firstAt ??= performance.now();
        lastAt = performance.now();
        text += content;
      }
      if (chunk.usage) {
        tokens = chunk.usage.completion_tokens;
        promptTokens = chunk.usage.prompt_tokens;
        cachedTokens = chunk.usage.prompt_tokens_details?.cached_tokens;
      }
    }
    firstAt ??= lastAt;
    return {
      ttftMs: firstAt - started,
      decodeTokensPerSecond: decodeRate(tokens, firstAt, lastAt),
      text,
      tokens,
      promptTokens,
      cachedTokens,
    };
  };

  const viaDirect = async (messages: ChatMessage[], maxTokens: number): Promise<Turn> => {
    const history: ChatHistoryItem[] = messages.map((message) =>
      message.role === 'system'
        ? { type: 'system', text: message.content }
        : message.role === 'user'
          ? { type: 'user', text: message.content }
          : { type: 'model', response: [message.content] },
    );
    history.push({ type: 'model', response: [] });
    const started = performance.now();
    let firstAt: number | undefined;
    let lastAt = started;
    let tokens = 0;
    const response = await chat.generateResponse(history, {
      maxTokens,
      temperature: 0,
      onToken: (generated) => {
        tokens += generated.length;
      },
      onTextChunk: () => {
        firstAt ??= performance.now();
        lastAt = performance.now();
      },
    });
    firstAt ??= lastAt;
    return {
      ttftMs: firstAt - started,
      decodeTokensPerSecond: decodeRate(tokens, firstAt, lastAt),
      text: response.response,
      tokens,
    };
  };

  // Decode speed: the same greedy request, alternating paths, medians.
  const storyRequest: ChatMessage[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: 'Tell me a long story about a brave little cat.' },
  ];
  await viaEngine(storyRequest, 16, 'warm-up');
  await viaDirect(storyRequest, 16);
  const engineRates: number[] = [];
  const directRates: number[] = [];
  // Each round's two runs are back to back, so their ratio is little affected by load that drifts over the run.
  const pairedRatios: number[] = [];
  let decodedTokens = 0;
  for (let round = 0; round < TPS_ROUNDS; round++) {
    const engineFirst = round % 2 === 0;
    const first = engineFirst
      ? await viaEngine(storyRequest, TPS_MAX_TOKENS, 'tps')
      : await viaDirect(storyRequest, TPS_MAX_TOKENS);
    const second = engineFirst
      ? await viaDirect(storyRequest, TPS_MAX_TOKENS)
      : await viaEngine(storyRequest, TPS_MAX_TOKENS, 'tps');
    const [viaWorker, viaLibrary] = engineFirst ? [first, second] : [second, first];
    if (viaWorker.decodeTokensPerSecond === undefined || viaLibrary.decodeTokensPerSecond === undefined) continue;
    engineRates.push(viaWorker.decodeTokensPerSecond);
    directRates.push(viaLibrary.decodeTokensPerSecond);
    pairedRatios.push(viaWorker.decodeTokensPerSecond / viaLibrary.decodeTokensPerSecond);
    decodedTokens = viaWorker.tokens;
  }

  // Time to first token over growing conversations, the two paths turn by turn.
  const engineTtft: number[][] = Array.from({ length: TURNS }, () => []);
  const directTtft: number[][] = Array.from({ length: TURNS }, () => []);
  const overheads: number[] = [];
  let turn10Prompt = 0;
  let turn10Cached = 0;
  for (let conversation = 0; conversation < CONVERSATIONS; conversation++) {
    const engineMessages: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
    const directMessages: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
    for (let turn = 0; turn < TURNS; turn++) {
      const question = `Story ${conversation + 1}, part ${turn + 1}: what did the cat do next?`;
      engineMessages.push({ role: 'user', content: question });
      directMessages.push({ role: 'user', content: question });
      const first = (conversation + turn) % 2 === 0;
      const runEngine = () => viaEngine(engineMessages, TURN_MAX_TOKENS, `conversation-${conversation}`);
      const runDirect = () => viaDirect(directMessages, TURN_MAX_TOKENS);
      const [viaWorker, viaLibrary] = first
        ? [await runEngine(), await runDirect()]
        : (([b, a]) => [a, b])([await runDirect(), await runEngine()]);
      engineTtft[turn]!.push(viaWorker.ttftMs);
      directTtft[turn]!.push(viaLibrary.ttftMs);
      overheads.push(viaWorker.ttftMs - viaLibrary.ttftMs);
      if (turn === TURNS - 1) {
        turn10Prompt = viaWorker.promptTokens ?? 0;
        turn10Cached = viaWorker.cachedTokens ?? 0;
      }
      engineMessages.push({ role: 'assistant', content: viaWorker.text });
      directMessages.push({ role: 'assistant', content: viaLibrary.text });
    }
  }

  // Two threads of 8 turns; then send alternately: the first turn after a switch, then one more in the same thread.
  const threads = [0, 1].map((index) => ({
    key: `switch-${index}`,
    messages: [{ role: 'system', content: SYSTEM }] as ChatMessage[],
    lastPrompt: 0,
  }));
  const sendInThread = async (thread: (typeof threads)[0], turn: number) => {
    thread.messages.push({ role: 'user', content: `Thread ${thread.key}, turn ${turn}: what did the dog find?` });
    const result = await viaEngine(thread.messages, TURN_MAX_TOKENS, thread.key);
    thread.messages.push({ role: 'assistant', content: result.text });
    const prompt = result.promptTokens ?? 0;
    const newTurn = prompt - thread.lastPrompt;
    thread.lastPrompt = prompt;
    return { ttftMs: result.ttftMs, evaluated: prompt - (result.cachedTokens ?? 0), newTurn };
  };
  for (const thread of threads) for (let turn = 0; turn < SWITCH_TURNS; turn++) await sendInThread(thread, turn);
  const switchRatios: number[] = [];
  const switchTtft: number[] = [];
  const stayTtft: number[] = [];
  for (let round = 0; round < SWITCH_ROUNDS; round++) {
    const thread = threads[round % 2]!;
    const switched = await sendInThread(thread, SWITCH_TURNS + round * 2);
    const stayed = await sendInThread(thread, SWITCH_TURNS + round * 2 + 1);
    switchRatios.push(switched.evaluated / switched.newTurn);
    switchTtft.push(switched.ttftMs);
    stayTtft.push(stayed.ttftMs);
  }

  // One thread grown past its context window, each turn fitted by the core as a chat turn is.
  const overflowThread: Thread = {
    id: 'overflow',
    object: 'thread',
    title: 'overflow',
    created: 0,
    updated: 0,
    assistants: [
      {
        assistant_id: 'jan',
        assistant_name: 'Jan',
        instructions: SYSTEM,
        model: {
          id: MODEL_ID,
          engine: 'llamacpp',
          settings: {},
          parameters: { max_tokens: TURN_MAX_TOKENS, temperature: 0 },
        },
      },
    ],
  };
  const overflowHistory: ThreadMessage[] = [];
  const stored = (role: 'user' | 'assistant', text: string): ThreadMessage => {
    const index = overflowHistory.length;
    return {
      id: `m${index}`,
      object: 'thread.message',
      thread_id: 'overflow',
      role,
      content: textContent(text),
      status: 'ready',
      created: index,
      updated: index,
    };
  };
  const tokenCache = new Map<string, number>();
  const overflowEvaluated: number[] = [];
  const turnTokens: number[] = [];
  let previousPrompt = 0;
  let overflowTurns = 0;
  for (let turn = 0; overflowTurns < OVERFLOW_TURNS; turn++) {
    if (turn > 400) throw new Error('the overflow thread never outgrew the context');
    overflowHistory.push(stored('user', `Part ${turn}. ${OVERFLOW_QUESTION.repeat(3)}What happened next?`));
    const built = await buildChatRequest({
      thread: overflowThread,
      history: overflowHistory,
      model: { id: MODEL_ID, engine: 'llamacpp' },
      engine,
      tokenCache,
    });
    const result = await viaEngine(built.request.messages, TURN_MAX_TOKENS, 'overflow');
    overflowHistory.push(stored('assistant', result.text || 'The end.'));
    const prompt = result.promptTokens ?? 0;
    if (built.droppedMessages > 0) {
      overflowTurns++;
      overflowEvaluated.push(prompt - (result.cachedTokens ?? 0));
    } else if (previousPrompt > 0) turnTokens.push(prompt - previousPrompt);
    previousPrompt = prompt;
  }
  const overflowTurnTokens = median(turnTokens);

  const remote = await measureRemote(engine, storyRequest);

  await engine.dispose();
  await context.dispose();
  await direct.dispose();
  await llama.dispose();

  const tpsWorker = median(engineRates);
  const tpsDirect = median(directRates);
  console.log(
    JSON.stringify({
      bench: 'engine',
      model: MODEL_ID,
      threads: THREADS,
      cpus: os.cpus().length,
      load_average_1m: round(os.loadavg()[0]!, 2),
      tps_ratio: round(median(pairedRatios)),
      tps_worker: round(tpsWorker, 1),
      tps_direct: round(tpsDirect, 1),
      decoded_tokens: decodedTokens,
      tps_rounds: TPS_ROUNDS,
      ttft_turn10_ratio: round(median(engineTtft[TURNS - 1]!) / median(engineTtft[0]!)),
      ttft_turn10_ratio_direct: round(median(directTtft[TURNS - 1]!) / median(directTtft[0]!)),
      ttft_turn1_ms: round(median(engineTtft[0]!), 2),
      ttft_turn10_ms: round(median(engineTtft[TURNS - 1]!), 2),
      ttft_overhead_ms: round(median(overheads), 2),
      turn10_prompt_tokens: turn10Prompt,
      turn10_cached_tokens: turn10Cached,
      conversations: CONVERSATIONS,
      ...remote,
      switch_eval_ratio: round(median(switchRatios)),
      switch_ttft_ratio: round(median(switchTtft) / median(stayTtft)),
      switch_ttft_ms: round(median(switchTtft), 2),
      stay_ttft_ms: round(median(stayTtft), 2),
      overflow_eval_ratio: round(median(overflowEvaluated) / overflowTurnTokens),
      overflow_evaluated_tokens_median: median(overflowEvaluated),
      overflow_turn_tokens: overflowTurnTokens,
    }),
  );
}

await main();
