/**
 * `npm run bench -- completion`: inline completion through the real provider logic
 * (InlineSuggestions over InlineCompletionService and InferenceService) and the real llama.cpp
 * worker, on scripted documents. Prints one JSON line; every sampled figure as mean and max:
 * - repeat_ratio: whole request after a 1-character edit ÷ the first request at that spot (goal ≤ 0.3)
 * - long_file_cached_ratio: cached ÷ prompt tokens of the repeat after a 1-character edit in a
 *   file larger than the completion context (goal ≥ 0.9)
 * - first_after_warm_up_ratio: the first request in a file whose prompt was prepared in the
 *   background (opened / focused / saved) ÷ the next request there after a 1-character edit
 *   (goal ≤ 1.5), with the prompt tokens each evaluated; cold_first_* is the same first request
 *   without the warm-up, and *_after_unload the first request after the worker was stopped
 *   (idle unload, restart) and the file warmed again
 * - burst_50ms_generations / burst_300ms_generations: generations started while 10 characters
 *   are typed 50 / 300 ms apart, with the 200 ms pause setting (goal ≤ 2)
 * - typed_through_requests: requests made while the user types a shown suggestion (goal 0); when
 *   no spot gives a suggestion of 3 characters or more, the first one is scripted (typed_through_scripted)
 * - generated_tokens_end_of_line / shown_tokens_end_of_line: tokens generated for a suggestion
 *   at the end of a line being typed, and the tokens of what was shown (goal: generated ≤ shown + 8);
 *   the same mid-line (generated_tokens_mid_line / shown_tokens_mid_line). These and the
 *   typed-through search run without the time limit: they measure where generation stops.
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
const TIME_LIMIT_MS = 1500;
const UNLIMITED_MS = 60_000;
const SPOTS = 5;
const LINE_SPOTS = 8;
const BURST_KEYSTROKES = 10;
/** Lines of a file whose prompt fills most of the completion context. */
const WARM_FILE_LINES = 180;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Mean and max of a sample, rounded; null for an empty one. */
function spread(values: number[], digits = 3): { mean: number; max: number } | null {
  if (!values.length) return null;
  return {
    mean: round(values.reduce((sum, value) => sum + value, 0) / values.length, digits),
    max: round(Math.max(...values), digits),
  };
}

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
  // Every call the provider logic makes reaches the real engine; the benchmark only writes down what it asked and
  // got, or, for the one scripted suggestion, answers it itself.
  const calls: Call[] = [];
  let scripted: string | undefined;
  const complete = engine.complete.bind(engine);
  engine.complete = async (request: CompletionRequest, signal?: AbortSignal, options?: CompletionOptions) => {
    const call: Call = { request };
    calls.push(call);
    if (scripted !== undefined) {
      call.result = { text: scripted, finish_reason: 'stop', tokens: 0 };
      scripted = undefined;
    } else call.result = await complete(request, signal, options);
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
  // Where the figure is what the rules generate and stop, not how much fits the time limit on a busy machine.
  const unlimited = { ...options, timeLimitMs: UNLIMITED_MS };
  let suggestions = new InlineSuggestions(service);
  /** One request as the editor makes it; resolves with the suggestion, undefined when cancelled or none. */
  const suggest = (
    document: ScriptedDocument,
    line: number,
    character: number,
    automatic: boolean,
    signal = new AbortController().signal,
    settings = options,
  ) =>
    suggestions
      .suggest(document, line, character, { ...settings, automatic }, signal)
      .then((suggestion) => suggestion?.text);
  /** A request on purpose, timed whole, with the engine's account of it. */
  const timed = async (document: ScriptedDocument, line: number, character: number, settings = options) => {
    const before = calls.length;
    const started = performance.now();
    const text = await suggest(document, line, character, false, undefined, settings);
    const ms = performance.now() - started;
    const result = calls.slice(before).at(-1)?.result;
    const evaluated = result?.prompt_tokens === undefined ? 0 : result.prompt_tokens - (result.cached_tokens ?? 0);
    return { text, ms, evaluated, result };
  };

  // Warm-up: the worker's completion context exists before anything is measured.
  await suggest(new ScriptedDocument(sourceLines(40, 99)), 20, 0, false);

  // Repeat after a 1-character edit, whole request, at spots never completed before.
  const repeatRatios: number[] = [];
  for (let spot = 0; spot < SPOTS; spot++) {
    const document = new ScriptedDocument(sourceLines(120, spot));
    const line = 60 + spot;
    const first = await timed(document, line, document.lines[line]!.length);
    const column = document.type(line, document.lines[line]!.length, ' ');
    repeatRatios.push((await timed(document, line, column)).ms / first.ms);
  }

  // A file larger than the completion context: what the repeat finds in the KV cache.
  const long = new ScriptedDocument(sourceLines(1500, 7));
  const longLine = 1000;
  await suggest(long, longLine, long.lines[longLine]!.length, false);
  const longRepeat = (await timed(long, longLine, long.type(longLine, long.lines[longLine]!.length, ' '))).result;
  const longCachedRatio =
    longRepeat?.prompt_tokens !== undefined && longRepeat.cached_tokens !== undefined
      ? round(longRepeat.cached_tokens / longRepeat.prompt_tokens)
      : null;

  // The first request in a file: cold, after a background warm-up, and after the worker was stopped and the file warmed.
  const firstRequests = async (seed: number, warmFirst: boolean) => {
    suggestions = new InlineSuggestions(service);
    const document = new ScriptedDocument(sourceLines(WARM_FILE_LINES, seed));
    const line = WARM_FILE_LINES - 20;
    const end = document.lines[line]!.length;
    if (warmFirst) await suggestions.warm(document, line, end, { maxTokens: MAX_TOKENS });
    const first = await timed(document, line, document.type(line, end, ' '));
    const next = await timed(document, line, document.type(line, end + 1, ' '));
    return { first, next };
  };
  const warmFirst = [];
  const coldFirst = [];
  for (let spot = 0; spot < SPOTS; spot++) {
    warmFirst.push(await firstRequests(200 + spot, true));
    coldFirst.push(await firstRequests(300 + spot, false));
  }
  const afterUnload = [];
  for (let spot = 0; spot < 2; spot++) {
    await engine.unload();
    afterUnload.push(await firstRequests(400 + spot, true));
  }

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

  // Typing through a shown suggestion: a spot with a suggestion of a few characters (the test model's text is
  // random), else one scripted suggestion there; then each of its characters typed, as the editor asks.
  const typeThrough = async (document: ScriptedDocument, line: number, column: number, shown: string) => {
    const startCalls = calls.length;
    for (const character of shown.slice(0, -1)) {
      column = document.type(line, column, character);
      await suggest(document, line, column, true);
    }
    return calls.length - startCalls;
  };
  let typedThrough: number | undefined;
  let typedThroughScripted = false;
  for (let seed = 30; seed < 46 && typedThrough === undefined; seed++) {
    suggestions = new InlineSuggestions(service);
    const document = new ScriptedDocument(sourceLines(120, seed));
    for (const line of [40, 43, 46]) {
      const text = document.lines[line]!;
      const column = text.indexOf('= ') + 2;
      document.lines[line] = text.slice(0, column);
      const shown = await suggest(document, line, column, false, undefined, unlimited);
      if (shown && !shown.includes('\n') && shown.trim().length >= 3) {
        typedThrough = await typeThrough(document, line, column, shown);
        break;
      }
    }
  }
  if (typedThrough === undefined) {
    suggestions = new InlineSuggestions(service);
    const document = new ScriptedDocument(sourceLines(120, 50));
    const line = 41;
    const column = document.lines[line]!.indexOf('= ') + 2;
    document.lines[line] = document.lines[line]!.slice(0, column);
    scripted = 'input * 41 + compute("cat");';
    const shown = (await suggest(document, line, column, false)) ?? '';
    typedThrough = await typeThrough(document, line, column, shown);
    typedThroughScripted = true;
  }

  // Suggestions at the end of a line being typed and in the middle of one: tokens generated against tokens shown.
  const generatedAgainstShown = async (cut: (text: string) => { line: string; column: number }, seed: number) => {
    const generated: number[] = [];
    const shown: number[] = [];
    for (let spot = 0; spot < LINE_SPOTS; spot++) {
      suggestions = new InlineSuggestions(service);
      const document = new ScriptedDocument(sourceLines(120, seed + spot));
      const line = 31 + spot;
      const { line: text, column } = cut(document.lines[line]!);
      document.lines[line] = text;
      const { text: suggestion, result } = await timed(document, line, column, unlimited);
      if (!result || result.tokens === 0) continue;
      generated.push(result.tokens);
      shown.push(suggestion ? (await engine.countTokens(MODEL_ID, suggestion)) - emptyTokens : 0);
    }
    return { generated, shown, over: generated.map((count, index) => count - shown[index]!) };
  };
  // What the tokenizer adds to any text it counts (a beginning-of-text token) is not part of the shown text:
  // one letter is one token of its own.
  const emptyTokens = (await engine.countTokens(MODEL_ID, 'a')) - 1;
  const endOfLine = await generatedAgainstShown((text) => {
    const column = text.indexOf('* ') + 2;
    return { line: text.slice(0, column), column };
  }, 60);
  const midLine = await generatedAgainstShown((text) => ({ line: text, column: text.indexOf('*') + 2 }), 80);

  await engine.dispose();
  const ratio = (samples: Array<{ first: { ms: number }; next: { ms: number } }>) =>
    spread(samples.map(({ first, next }) => first.ms / next.ms));
  console.log(
    JSON.stringify({
      bench: 'completion',
      model: MODEL_ID,
      threads: THREADS,
      cpus: os.cpus().length,
      load_average_1m: round(os.loadavg()[0]!, 2),
      completion_context: COMPLETION_CONTEXT,
      time_limit_ms: TIME_LIMIT_MS,
      repeat_ratio: spread(repeatRatios),
      long_file_cached_ratio: longCachedRatio,
      long_file_prompt_tokens: longRepeat?.prompt_tokens ?? null,
      long_file_cached_tokens: longRepeat?.cached_tokens ?? null,
      first_after_warm_up_ratio: ratio(warmFirst),
      first_after_warm_up_ms: spread(
        warmFirst.map(({ first }) => first.ms),
        1,
      ),
      warm_request_ms: spread(
        warmFirst.map(({ next }) => next.ms),
        1,
      ),
      first_after_warm_up_evaluated_tokens: spread(
        warmFirst.map(({ first }) => first.evaluated),
        1,
      ),
      warm_request_evaluated_tokens: spread(
        warmFirst.map(({ next }) => next.evaluated),
        1,
      ),
      cold_first_ratio: ratio(coldFirst),
      cold_first_ms: spread(
        coldFirst.map(({ first }) => first.ms),
        1,
      ),
      cold_first_evaluated_tokens: spread(
        coldFirst.map(({ first }) => first.evaluated),
        1,
      ),
      first_after_unload_ratio: ratio(afterUnload),
      first_after_unload_evaluated_tokens: spread(
        afterUnload.map(({ first }) => first.evaluated),
        1,
      ),
      burst_50ms_generations: burst50,
      burst_300ms_generations: burst300,
      typed_through_requests: typedThrough,
      typed_through_scripted: typedThroughScripted,
      generated_tokens_end_of_line: spread(endOfLine.generated, 1),
      shown_tokens_end_of_line: spread(endOfLine.shown, 1),
      generated_over_shown_end_of_line: spread(endOfLine.over, 1),
      generated_tokens_mid_line: spread(midLine.generated, 1),
      shown_tokens_mid_line: spread(midLine.shown, 1),
      generated_over_shown_mid_line: spread(midLine.over, 1),
    }),
  );
}

await main();
