/**
 * `npm run bench -- completion`: inline completion through the real provider logic
 * (InlineSuggestions over InlineCompletionService and InferenceService) and the real llama.cpp
 * worker, on scripted documents. Prints one JSON line:
 * - repeat_ratio: whole request after a 1-character edit ÷ the first request at that spot,
 *   median over several spots (goal ≤ 0.3)
 * - long_file_cached_ratio: cached ÷ prompt tokens of the repeat after a 1-character edit in a
 *   file larger than the completion context (goal ≥ 0.9)
 * - burst_50ms_generations / burst_300ms_generations: generations started while 10 characters
 *   are typed 50 / 300 ms apart, with the 200 ms pause setting (goal ≤ 2)
 * - typed_through_requests: requests made while the user types a shown suggestion (goal 0)
 * - generated_tokens_per_suggestion: tokens generated for a mid-line suggestion, and
 *   shown_line_tokens, the tokens of what was shown (goal: generated ≤ shown + 8)
 */
import * as os from 'node:os';
import {
  EngineRegistry,
  EventBus,
  InferenceService,
  InlineCompletionService,
  InlineSuggestions,
  MemoryLogger,
} from '@jan/core';
import type { CompletionDocument, CompletionOptions, CompletionRequest, CompletionResult } from '@jan/core';
import { LlamaCppEngine } from '../extensions/llamacpp/engine';
import { bundleEntry } from '../test/support/bundle-entry';
import { llamaCppModel, STORIES_FIM } from '../test/support/test-models';

const root = process.cwd();
const MODEL_ID = 'stories260K-chatml-fim';
const THREADS = 1;
const COMPLETION_CONTEXT = 2048;
const DEBOUNCE_MS = 200;
const MAX_TOKENS = 96;
const TIME_LIMIT_MS = 500;
const REPEAT_SPOTS = 5;
const BURST_KEYSTROKES = 10;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TypeScript-like file of `count` lines, different for each `seed`. */
function sourceLines(count: number, seed: number): string[] {
  const names = ['value', 'story', 'count', 'total', 'cat', 'dog', 'park', 'tree'];
  return Array.from({ length: count }, (_, index) => {
    const name = `${names[(index + seed) % names.length]}${seed}_${index}`;
    if (index % 10 === 0) return `export function ${name}(input: number): number {`;
    if (index % 10 === 9) return '}';
    return `  const ${name} = input * ${index + seed} + compute("${names[(index * 3 + seed) % names.length]}");`;
  });
}

/** A document the benchmark edits, read as the editor would. */
class ScriptedDocument implements CompletionDocument {
  readonly languageId = 'typescript';
  constructor(readonly lines: string[]) {}
  get lineCount(): number {
    return this.lines.length;
  }
  lineText(line: number): string {
    return this.lines[line] ?? '';
  }
  /** Types `text` at (line, character); the new cursor column. */
  type(line: number, character: number, text: string): number {
    const current = this.lines[line]!;
    this.lines[line] = current.slice(0, character) + text + current.slice(character);
    return character + text.length;
  }
}

interface Call {
  request: CompletionRequest;
  result?: CompletionResult;
}

async function main(): Promise<void> {
  const model = llamaCppModel(MODEL_ID);
  const engine = new LlamaCppEngine({
    resolveModel: async (id) => (id === MODEL_ID ? { model, filePath: STORIES_FIM } : undefined),
    listModels: async () => [model],
    settings: () => ({
      threads: THREADS,
      gpu: 'cpu',
      contextSize: COMPLETION_CONTEXT,
      completionContextSize: COMPLETION_CONTEXT,
      idleUnloadMinutes: 0,
      transport: 'process',
      promptLookup: 'auto',
    }),
    workerPath: await bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker', root),
  });
  // Every call the provider logic makes reaches the real engine; the benchmark only writes down what it asked and got.
  const calls: Call[] = [];
  const complete = engine.complete.bind(engine);
  engine.complete = async (request: CompletionRequest, signal?: AbortSignal, options?: CompletionOptions) => {
    const call: Call = { request };
    calls.push(call);
    call.result = await complete(request, signal, options);
    return call.result;
  };
  const logger = new MemoryLogger();
  const engines = new EngineRegistry();
  engines.register(engine);
  const inference = new InferenceService({
    engines,
    events: new EventBus(logger),
    logger,
    models: () => undefined,
    chosenModelId: (purpose) => (purpose === 'completion' ? MODEL_ID : undefined),
  });
  const service = new InlineCompletionService({ inference, logger });
  await engine.load(MODEL_ID);

  const options = { debounceMs: DEBOUNCE_MS, maxTokens: MAX_TOKENS, timeLimitMs: TIME_LIMIT_MS };
  let suggestions = new InlineSuggestions(service);
  /** One request as the editor makes it; resolves with the suggestion, undefined when cancelled or none. */
  const suggest = (
    document: ScriptedDocument,
    line: number,
    character: number,
    automatic: boolean,
    signal = new AbortController().signal,
  ) =>
    suggestions
      .suggest(document, line, character, { ...options, automatic }, signal)
      .then((suggestion) => suggestion?.text);

  // Warm-up: the worker's completion context exists before anything is measured.
  await suggest(new ScriptedDocument(sourceLines(40, 99)), 20, 0, false);

  // Repeat after a 1-character edit, whole request, at spots never completed before.
  const repeatRatios: number[] = [];
  for (let spot = 0; spot < REPEAT_SPOTS; spot++) {
    const document = new ScriptedDocument(sourceLines(120, spot));
    const line = 60 + spot;
    const end = document.lines[line]!.length;
    let started = performance.now();
    await suggest(document, line, end, false);
    const first = performance.now() - started;
    const column = document.type(line, end, ' ');
    started = performance.now();
    await suggest(document, line, column, false);
    repeatRatios.push((performance.now() - started) / first);
  }

  // A file larger than the completion context: what the repeat finds in the KV cache.
  const long = new ScriptedDocument(sourceLines(1500, 7));
  const longLine = 1000;
  const longEnd = long.lines[longLine]!.length;
  await suggest(long, longLine, longEnd, false);
  const longColumn = long.type(longLine, longEnd, ' ');
  const before = calls.length;
  await suggest(long, longLine, longColumn, false);
  const longRepeat = calls.slice(before).at(-1)?.result;
  const longCachedRatio =
    longRepeat?.prompt_tokens !== undefined && longRepeat.cached_tokens !== undefined
      ? round(longRepeat.cached_tokens / longRepeat.prompt_tokens)
      : null;

  // Bursts of typing: each keystroke cancels the previous request, as the editor does.
  const burst = async (gapMs: number, seed: number): Promise<number> => {
    suggestions = new InlineSuggestions(service);
    const document = new ScriptedDocument(sourceLines(120, seed));
    const line = 50;
    let column = document.lines[line]!.length;
    const startCalls = calls.length;
    const pending: Promise<unknown>[] = [];
    let previous: AbortController | undefined;
    for (const character of 'qzxvkjwpfy'.slice(0, BURST_KEYSTROKES)) {
      previous?.abort();
      column = document.type(line, column, character);
      previous = new AbortController();
      pending.push(suggest(document, line, column, true, previous.signal));
      await sleep(gapMs);
    }
    await Promise.all(pending);
    return calls.length - startCalls;
  };
  const burst50 = await burst(50, 20);
  const burst300 = await burst(300, 21);

  // Typing through a shown suggestion: find a spot with a suggestion of a few characters, then type it.
  let typedThrough: number | null = null;
  for (let seed = 30; seed < 40 && typedThrough === null; seed++) {
    suggestions = new InlineSuggestions(service);
    const document = new ScriptedDocument(sourceLines(120, seed));
    const line = 40;
    let column = document.lines[line]!.length;
    const shown = await suggest(document, line, column, false);
    if (!shown || shown.trim().length < 3) continue;
    const startCalls = calls.length;
    for (const character of shown.slice(0, -1)) {
      column = document.type(line, column, character);
      await suggest(document, line, column, true);
    }
    typedThrough = calls.length - startCalls;
  }

  // A suggestion in the middle of a line: what was generated against what was shown.
  suggestions = new InlineSuggestions(service);
  const midDocument = new ScriptedDocument(sourceLines(120, 50));
  const midLine = 33;
  const midText = midDocument.lines[midLine]!;
  const midColumn = midText.indexOf('*') + 2;
  const beforeMid = calls.length;
  const midShown = (await suggest(midDocument, midLine, midColumn, false)) ?? '';
  const midResult = calls.slice(beforeMid).at(-1)?.result;
  const shownTokens = midShown ? await engine.countTokens(MODEL_ID, midShown) : 0;

  await engine.dispose();
  console.log(
    JSON.stringify({
      bench: 'completion',
      model: MODEL_ID,
      threads: THREADS,
      cpus: os.cpus().length,
      load_average_1m: round(os.loadavg()[0]!, 2),
      completion_context: COMPLETION_CONTEXT,
      repeat_ratio: round(median(repeatRatios)),
      long_file_cached_ratio: longCachedRatio,
      long_file_prompt_tokens: longRepeat?.prompt_tokens ?? null,
      long_file_cached_tokens: longRepeat?.cached_tokens ?? null,
      burst_50ms_generations: burst50,
      burst_300ms_generations: burst300,
      typed_through_requests: typedThrough,
      generated_tokens_per_suggestion: midResult?.tokens ?? null,
      shown_line_tokens: shownTokens,
    }),
  );
}

await main();
