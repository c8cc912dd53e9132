import * as jan from '@jan/core';
import type {
  CompletionDocument,
  CompletionOptions,
  CompletionRequest,
  CompletionResult,
  EngineStatus,
  InferenceEngine,
  Model,
} from '@jan/core';
import { CURSOR, type GoldenCase } from './completion-golden';
import { modelEntry } from './scripted-engine';

const MODEL = 'replay-model';

/**
 * An engine that answers every completion with a recorded model output, the way a real engine
 * would: it stops at the request's `stop` strings (left out of the text, as llama.cpp and OpenAI
 * servers do) and streams the text to `stopWhen` a few characters at a time, ending where it
 * says stop. What the golden cases are run through to check the whole request path.
 */
export class ReplayEngine implements InferenceEngine {
  readonly id = 'replay';
  readonly displayName = 'Replay';
  readonly runsOn = jan.ON_THIS_MACHINE;
  raw = '';
  /** How the recorded output ended, and its tokens: by default the model ended it, one token a character. */
  finish: 'stop' | 'length' = 'stop';
  tokens: number | undefined;
  readonly requests: CompletionRequest[] = [];

  constructor(private readonly chunk = 3) {}

  async list(): Promise<Model[]> {
    return [modelEntry(MODEL, this.id)];
  }
  async load(): Promise<void> {}
  async unload(): Promise<void> {}
  async *chat(): AsyncIterable<never> {
    throw new Error('The replay engine only completes.');
  }
  status(): EngineStatus {
    return { state: 'ready' };
  }

  async complete(
    request: CompletionRequest,
    _signal?: AbortSignal,
    options?: CompletionOptions,
  ): Promise<CompletionResult> {
    this.requests.push(request);
    let text = this.raw;
    for (const stop of request.stop ?? []) {
      const at = stop ? text.indexOf(stop) : -1;
      if (at >= 0) text = text.slice(0, at);
    }
    for (let length = this.chunk; options?.stopWhen && length < text.length + this.chunk; length += this.chunk) {
      if (options.stopWhen(text.slice(0, length))) {
        text = text.slice(0, length);
        break;
      }
    }
    return { text, finish_reason: this.finish, tokens: this.tokens ?? text.length };
  }
}

/** The document of a golden case as the editor gives it to the service, and the cursor. */
export function goldenDocument(golden: GoldenCase): { document: CompletionDocument; line: number; character: number } {
  const lines = golden.document.split('\n');
  const line = lines.findIndex((candidate) => candidate.includes(CURSOR));
  const character = lines[line]!.indexOf(CURSOR);
  lines[line] = lines[line]!.replace(CURSOR, '');
  const document = {
    lineCount: lines.length,
    languageId: golden.language ?? 'plaintext',
    lineText: (index: number) => lines[index]!,
  };
  return { document, line, character };
}

/** The parts of the core the request path needs: this checkout's, or a baseline's bundled by the benchmark. */
export type RequestPathCore = Pick<
  typeof jan,
  'EngineRegistry' | 'EventBus' | 'InferenceService' | 'InlineCompletionService' | 'MemoryLogger'
> & { coveredClosers?: typeof jan.coveredClosers };

/** An InlineCompletionService over one engine, whose model `modelId` is the chosen completion model. */
export function completionServiceOver(
  engine: InferenceEngine,
  modelId: string,
  core: RequestPathCore = jan,
): jan.InlineCompletionService {
  const logger = new core.MemoryLogger();
  const engines = new core.EngineRegistry();
  engines.register(engine);
  const inference = new core.InferenceService({
    engines,
    events: new core.EventBus(logger),
    logger,
    models: () => undefined,
    chosenModelId: (purpose) => (purpose === 'completion' ? modelId : undefined),
  });
  return new core.InlineCompletionService({ inference, logger });
}

/**
 * Runs golden cases through the real request path: `InlineCompletionService.request` builds the
 * prompt from the document, `complete` asks the engine (its stop and early stop included) and
 * post-processes; the range is what the editor's item replaces (none for a core without one).
 */
export function requestPath(options: { maxLines?: number } = {}, core: RequestPathCore = jan) {
  const engine = new ReplayEngine();
  const service = completionServiceOver(engine, MODEL, core);
  const range = core.coveredClosers ?? (() => 0);
  return {
    engine,
    async suggest(golden: GoldenCase, maxTokens = 256): Promise<{ text: string | undefined; replaced: number }> {
      service.clearCache();
      engine.raw = golden.raw;
      const { document, line, character } = goldenDocument(golden);
      const request = (await service.request(document, line, character))!;
      const text = await service.complete(request, maxTokens, new AbortController().signal, options);
      return { text, replaced: text === undefined ? 0 : range(text, request.prompt) };
    },
  };
}
