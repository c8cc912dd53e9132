import type { InferenceService } from '../inference';
import { errorMessage, type Logger } from '../logger';
import type { ModelChoice } from '../model-choice';
import { CompletionCache } from './cache';
import type { CompletionRequest, CompletionResult } from '../types';
import { buildCompletionContext, type CompletionContext } from './context';
import { postprocessCompletion, type PostprocessOptions } from './postprocess';
import { completionStop, requestStop } from './rules';

/** The document as inline completion reads it: only the lines near the cursor are asked for. */
export interface CompletionDocument {
  readonly lineCount: number;
  readonly languageId: string;
  lineText(line: number): string;
}

/** One completion to show or ask for, at one cursor position. */
export interface InlineRequest {
  model: ModelChoice;
  prompt: CompletionContext;
  /** A completion already known for this spot: show it without asking the model. */
  cached?: string;
}

/** The sampling of ghost text: near-greedy, so the same spot gives the same suggestion. */
const TEMPERATURE = 0.1;
/**
 * Lines above the cursor sent to the engine at most; the engine budgets them in tokens. The first
 * of them is a multiple of PREFIX_LINE_STEP (the engine cuts at multiples of it too), so the
 * prompt's start moves only in steps while the cursor moves, and its KV cache is reused.
 */
const PREFIX_LINES = 400;
const PREFIX_LINE_STEP = 16;
const SUFFIX_LINES = 64;

export interface CompleteOptions extends Partial<PostprocessOptions> {
  /** The whole request (prompt evaluation included) stops this long after it reaches the engine and returns what is ready. */
  timeLimitMs?: number;
  /** Context from other files, placed before the prefix. */
  extra?: string;
}

/**
 * Inline completion without the editor: which model, what prompt, the cache, the model call and
 * the post-processing. The VS Code provider adds only the pause after typing and the item.
 * Nothing is shown, not even a cached suggestion, while no completion model is chosen.
 */
export class InlineCompletionService {
  private readonly cache = new CompletionCache();
  /** The model the cached completions came from; another model starts an empty cache. */
  private cacheModel: string | undefined;
  private lastFailure: string | undefined;

  constructor(private readonly deps: { inference: InferenceService; logger: Logger }) {}

  /** The request for the cursor at (line, character), or undefined when no completion model is chosen. */
  async request(document: CompletionDocument, line: number, character: number): Promise<InlineRequest | undefined> {
    const model = await this.deps.inference.chosen('completion');
    if (!model) return undefined;
    if (model.id !== this.cacheModel) {
      this.cache.clear();
      this.cacheModel = model.id;
    }
    const first = Math.floor(Math.max(0, line - PREFIX_LINES) / PREFIX_LINE_STEP) * PREFIX_LINE_STEP;
    const last = Math.min(document.lineCount - 1, line + SUFFIX_LINES);
    const lines: string[] = [];
    for (let index = first; index <= last; index++) lines.push(document.lineText(index));
    const prompt = buildCompletionContext(lines, line - first, character, document.languageId, {
      prefixLines: line - first,
      suffixLines: SUFFIX_LINES,
    });
    const cached = this.cache.get(prompt.prefix, prompt.suffix);
    return cached === undefined ? { model, prompt } : { model, prompt, cached };
  }

  /**
   * Asks the model; the text to show, or undefined when there is none or the request was
   * cancelled. A failure is logged once per distinct message, never thrown: a broken model
   * must not log or pop up on every keystroke. The inline item's range is `coveredClosers(text, request.prompt)`.
   */
  async complete(
    request: InlineRequest,
    maxTokens: number,
    signal: AbortSignal,
    options: CompleteOptions = {},
  ): Promise<string | undefined> {
    return (await this.completeWithUsage(request, maxTokens, signal, options)).text;
  }

  /** `complete`, with the engine's account of the call (tokens generated, prompt tokens and those cached) when it got one. */
  async completeWithUsage(
    request: InlineRequest,
    maxTokens: number,
    signal: AbortSignal,
    options: CompleteOptions = {},
  ): Promise<{ text: string | undefined; result?: CompletionResult }> {
    const { prompt } = request;
    try {
      const result = await this.deps.inference.complete(
        request.model,
        {
          ...completionRequest(prompt, maxTokens, options),
          ...(options.timeLimitMs !== undefined ? { time_limit_ms: options.timeLimitMs } : {}),
        },
        signal,
        { stopWhen: (text) => wouldCut(text, prompt, options.maxLines) },
      );
      if (signal.aborted) return { text: undefined, result };
      this.lastFailure = undefined;
      const text = postprocessCompletion(
        generatedText(result, prompt, maxTokens, options.maxLines),
        request.prompt,
        options,
      );
      if (text !== undefined && request.model.id === this.cacheModel)
        this.cache.set(request.prompt.prefix, request.prompt.suffix, text);
      return { text, result };
    } catch (error) {
      if (!signal.aborted) {
        const message = errorMessage(error);
        if (message !== this.lastFailure) this.deps.logger.warn(`Inline completion failed: ${message}`);
        this.lastFailure = message;
      }
      return { text: undefined };
    }
  }

  /**
   * Prepares the prompt of the cursor's spot in the engine's cache, so the first suggestion there
   * evaluates only what changed since (a file opened, focused or saved): the request a suggestion
   * there would send (the same token budget, so the engine lays the prompt out the same way),
   * stopped at its first piece of text, which is thrown away. Only for an engine that runs the model
   * in this process: a server (remote, or on this machine) gets code when a suggestion is asked for,
   * not when a file is opened, and would generate a whole reply it cannot be stopped in.
   * Resolves with the engine's account (prompt tokens evaluated), undefined when nothing was done.
   */
  async warm(
    document: CompletionDocument,
    line: number,
    character: number,
    maxTokens: number,
    options: Pick<CompleteOptions, 'extra' | 'maxLines'>,
    signal: AbortSignal,
  ): Promise<CompletionResult | undefined> {
    const request = await this.request(document, line, character);
    if (!request || signal.aborted) return undefined;
    const engine = this.deps.inference.engine(request.model);
    if (engine.runsOn.kind !== 'local' || engine.throughServer) return undefined;
    try {
      return await this.deps.inference.complete(
        request.model,
        completionRequest(request.prompt, maxTokens, options),
        signal,
        { stopWhen: () => true },
      );
    } catch {
      // A failure shows on the next suggestion, which asks the same engine.
      return undefined;
    }
  }

  clearCache(): void {
    this.cache.clear();
  }
}

/**
 * The engine request for a prompt. The rules decide where the suggestion ends: a stop string only
 * where they keep one line anyway, and the language and line budget for an engine that stops itself.
 */
function completionRequest(
  prompt: CompletionContext,
  maxTokens: number,
  options: Pick<CompleteOptions, 'extra' | 'maxLines'>,
): Omit<CompletionRequest, 'model'> {
  const stop = requestStop(prompt);
  return {
    prefix: prompt.prefix,
    suffix: prompt.suffix,
    max_tokens: maxTokens,
    temperature: TEMPERATURE,
    language: prompt.languageId,
    ...(options.maxLines !== undefined ? { max_lines: options.maxLines } : {}),
    ...(stop ? { stop } : {}),
    ...(options.extra ? { extra: options.extra } : {}),
  };
}

/**
 * The output as the rules read it: up to where the suggestion ends (an engine that stopped a stream
 * early sends a little more), and without a last line the token budget cut short.
 */
function generatedText(
  result: CompletionResult,
  prompt: CompletionContext,
  maxTokens: number,
  maxLines?: number,
): string {
  const stop = completionStop(result.text, prompt, maxLines);
  if (stop !== undefined) return result.text.slice(0, stop);
  const lastBreak = result.text.lastIndexOf('\n');
  const cutShort =
    result.finish_reason === 'length' &&
    result.tokens >= maxTokens &&
    lastBreak > 0 &&
    result.text.slice(0, lastBreak).trim();
  return cutShort ? result.text.slice(0, lastBreak) : result.text;
}

/**
 * Whether the suggestion already ends within the text streamed so far, whatever comes next
 * (`completionStop`: the post-processing rules that cut, rules/early-stop.ts): generating more
 * cannot change what is shown. The one place the stream is checked.
 */
export function wouldCut(streamed: string, prompt: CompletionContext, maxLines?: number): boolean {
  return completionStop(streamed, prompt, maxLines) !== undefined;
}
