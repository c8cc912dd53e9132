/**
 * Speed of the path users take (InferenceService on a JanRuntime, the worker behind its RPC)
 * against node-llama-cpp called directly in this process, same model, same settings, same run,
 * alternating back-to-back pairs; and the remote engine against the `openai` client on the same
 * OpenAI-compatible server on 127.0.0.1.
 */
import { getLlama, LlamaChat } from 'node-llama-cpp';
import type { ChatHistoryItem } from 'node-llama-cpp';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatMessage, InferenceEngine } from '@jan/core';
import { RemoteEngine, parseDefinition } from '../../extensions/remote';
import type { JanRuntime } from '../../src/node/runtime';
import { OpenAITestServer } from '../../test/support/openai-test-server';
import { CONTEXT, mean, readStream, round, storyRequest, SYSTEM, THREADS } from './setup';

const TPS_ROUNDS = 11;
const TPS_MAX_TOKENS = 400;
const CONVERSATIONS = 5;
const REMOTE_ROUNDS = 9;
const TURNS = 10;
const TURN_MAX_TOKENS = 24;

interface Direct {
  chat(
    messages: ChatMessage[],
    maxTokens: number,
  ): Promise<{ ttftMs: number; decodeTokensPerSecond?: number; text: string; tokens: number }>;
  dispose(): Promise<void>;
}

async function direct(modelFile: string): Promise<Direct> {
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: THREADS, logLevel: 'error' as never });
  const model = await llama.loadModel({ modelPath: modelFile });
  const context = await model.createContext({ contextSize: CONTEXT, sequences: 1 });
  const chat = new LlamaChat({ contextSequence: context.getSequence() });
  return {
    async chat(messages, maxTokens) {
      const history: ChatHistoryItem[] = messages.map((message) =>
        message.role === 'system'
          ? { type: 'system', text: message.content as string }
          : message.role === 'user'
            ? { type: 'user', text: message.content as string }
            : { type: 'model', response: [message.content as string] },
      );
      history.push({ type: 'model', response: [] });
      const started = performance.now();
      let firstAt: number | undefined;
      let lastAt = started;
      let tokens = 0;
      const response = await chat.generateResponse(history, {
        maxTokens,
        temperature: 0,
        onToken: (generated) => void (tokens += generated.length),
        onTextChunk: () => {
          firstAt ??= performance.now();
          lastAt = performance.now();
        },
      });
      firstAt ??= lastAt;
      return {
        ttftMs: firstAt - started,
        decodeTokensPerSecond: tokens > 1 && lastAt > firstAt ? ((tokens - 1) / (lastAt - firstAt)) * 1000 : undefined,
        text: response.response,
        tokens,
      };
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

export async function measureSpeed(runtime: JanRuntime, modelId: string, modelFile: string) {
  const library = await direct(modelFile);
  const choice = { id: modelId, engine: 'llamacpp' };
  const viaRuntime = (messages: ChatMessage[], maxTokens: number, sessionKey: string) =>
    readStream(
      runtime.inference.chat(choice, { messages, max_tokens: maxTokens, temperature: 0, session_key: sessionKey }),
    );

  await viaRuntime(storyRequest, 16, 'warm-up');
  await library.chat(storyRequest, 16);
  const paired: number[] = [];
  const rates: { runtime: number[]; direct: number[] } = { runtime: [], direct: [] };
  let decoded = 0;
  for (let round = 0; round < TPS_ROUNDS; round++) {
    const runtimeFirst = round % 2 === 0;
    const first = runtimeFirst
      ? await viaRuntime(storyRequest, TPS_MAX_TOKENS, 'tps')
      : await library.chat(storyRequest, TPS_MAX_TOKENS);
    const second = runtimeFirst
      ? await library.chat(storyRequest, TPS_MAX_TOKENS)
      : await viaRuntime(storyRequest, TPS_MAX_TOKENS, 'tps');
    const [ours, theirs] = runtimeFirst ? [first, second] : [second, first];
    if (ours.decodeTokensPerSecond === undefined || theirs.decodeTokensPerSecond === undefined) continue;
    rates.runtime.push(ours.decodeTokensPerSecond);
    rates.direct.push(theirs.decodeTokensPerSecond);
    paired.push(ours.decodeTokensPerSecond / theirs.decodeTokensPerSecond);
    decoded = ours.tokens;
  }

  const runtimeTtft: number[][] = Array.from({ length: TURNS }, () => []);
  const directTtft: number[][] = Array.from({ length: TURNS }, () => []);
  const overheads: number[] = [];
  for (let conversation = 0; conversation < CONVERSATIONS; conversation++) {
    const ours: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
    const theirs: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
    for (let turn = 0; turn < TURNS; turn++) {
      const question = `Story ${conversation + 1}, part ${turn + 1}: what did the cat do next?`;
      ours.push({ role: 'user', content: question });
      theirs.push({ role: 'user', content: question });
      const runOurs = () => viaRuntime(ours, TURN_MAX_TOKENS, `conversation-${conversation}`);
      const runTheirs = () => library.chat(theirs, TURN_MAX_TOKENS);
      const oursFirst = (conversation + turn) % 2 === 0;
      const a = oursFirst ? await runOurs() : await runTheirs();
      const b = oursFirst ? await runTheirs() : await runOurs();
      const [viaOurs, viaTheirs] = oursFirst ? [a, b] : [b, a];
      runtimeTtft[turn]!.push(viaOurs.ttftMs);
      directTtft[turn]!.push(viaTheirs.ttftMs);
      overheads.push(viaOurs.ttftMs - viaTheirs.ttftMs);
      ours.push({ role: 'assistant', content: viaOurs.text });
      theirs.push({ role: 'assistant', content: viaTheirs.text });
    }
  }
  await library.dispose();
  return {
    tps_ratio: round(mean(paired)),
    tps_ratio_min: round(Math.min(...paired)),
    tps_runtime: round(mean(rates.runtime), 1),
    tps_direct: round(mean(rates.direct), 1),
    decoded_tokens: decoded,
    ttft_turn10_ratio: round(mean(runtimeTtft[TURNS - 1]!) / mean(runtimeTtft[0]!)),
    ttft_turn10_ratio_direct: round(mean(directTtft[TURNS - 1]!) / mean(directTtft[0]!)),
    ttft_overhead_ms_mean: round(mean(overheads), 2),
    ttft_overhead_ms_max: round(Math.max(...overheads), 2),
  };
}

/** The remote engine against the `openai` client on the same server streaming `backend`'s real tokens. */
export async function measureRemote(backend: InferenceEngine, modelId: string, messages: ChatMessage[]) {
  const server = await OpenAITestServer.start({ backend, modelId });
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
    readStream(remote.chat({ model: `bench/${modelId}`, messages, max_tokens: TPS_MAX_TOKENS, temperature: 0 }));
  const viaClient = async () => {
    const started = performance.now();
    const stream = await client.chat.completions.create({
      model: modelId,
      messages,
      max_tokens: TPS_MAX_TOKENS,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    return readStream(stream as unknown as AsyncIterable<ChatCompletionChunk>, started);
  };
  await viaRemote();
  await viaClient();
  const ratios: number[] = [];
  const added: number[] = [];
  for (let round = 0; round < REMOTE_ROUNDS; round++) {
    const remoteFirst = round % 2 === 0;
    const first = remoteFirst ? await viaRemote() : await viaClient();
    const second = remoteFirst ? await viaClient() : await viaRemote();
    const [ours, theirs] = remoteFirst ? [first, second] : [second, first];
    added.push(ours.ttftMs - theirs.ttftMs);
    if (ours.decodeTokensPerSecond !== undefined && theirs.decodeTokensPerSecond !== undefined)
      ratios.push(ours.decodeTokensPerSecond / theirs.decodeTokensPerSecond);
  }
  await server.close();
  return {
    remote_tps_ratio: round(mean(ratios)),
    remote_tps_ratio_min: round(Math.min(...ratios)),
    remote_ttft_added_ms_mean: round(mean(added), 2),
    remote_ttft_added_ms_max: round(Math.max(...added), 2),
  };
}
