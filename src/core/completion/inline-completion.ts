import type { InferenceService } from '../inference';
import { errorMessage, type Logger } from '../logger';
import type { ModelChoice } from '../model-choice';
import { CompletionCache } from './cache';
import { buildCompletionContext, DEFAULT_CONTEXT_LIMITS, type CompletionContext } from './context';
import { postprocessCompletion, type PostprocessOptions } from './postprocess';

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
    const first = Math.max(0, line - DEFAULT_CONTEXT_LIMITS.prefixLines);
    const last = Math.min(document.lineCount - 1, line + DEFAULT_CONTEXT_LIMITS.suffixLines);
    const lines: string[] = [];
    for (let index = first; index <= last; index++) lines.push(document.lineText(index));
    const prompt = buildCompletionContext(lines, line - first, character, document.languageId);
    const cached = this.cache.get(prompt.prefix, prompt.suffix);
    return cached === undefined ? { model, prompt } : { model, prompt, cached };
  }

  /**
   * Asks the model; the text to show, or undefined when there is none or the request was
   * cancelled. A failure is logged once per distinct message, never thrown: a broken model
   * must not log or pop up on every keystroke. The inline item's range is `coveredClosers(text, request.prompt)`.
   */
  async complete(request: InlineRequest, maxTokens: number, signal: AbortSignal, options: Partial<PostprocessOptions> = {}): Promise<string | undefined> {
    try {
      const result = await this.deps.inference.complete(
        request.model,
        { prefix: request.prompt.prefix, suffix: request.prompt.suffix, max_tokens: maxTokens, temperature: TEMPERATURE },
        signal,
      );
      if (signal.aborted) return undefined;
      this.lastFailure = undefined;
      const text = postprocessCompletion(result.text, request.prompt, options);
      if (text !== undefined && request.model.id === this.cacheModel) this.cache.set(request.prompt.prefix, request.prompt.suffix, text);
      return text;
    } catch (error) {
      if (!signal.aborted) {
        const message = errorMessage(error);
        if (message !== this.lastFailure) this.deps.logger.warn(`Inline completion failed: ${message}`);
        this.lastFailure = message;
      }
      return undefined;
    }
  }

  clearCache(): void {
    this.cache.clear();
  }
}
