import type { CompletionResult } from '../types';
import type { CompletionContext } from './context';
import type { CompletionDocument, InlineCompletionService, InlineRequest } from './inline-completion';
import { TypingPause } from './typing-pause';

/** Non-blank characters right of the cursor above which no suggestion is asked for while typing (closing brackets and a semicolon pass). */
const MAX_TEXT_RIGHT_OF_CURSOR = 4;

export interface SuggestOptions {
  /** Asked for by typing (waits out the pause, may be skipped), not on purpose. */
  automatic: boolean;
  /** The pause setting: the pause starts here and grows (typing-pause.ts). */
  debounceMs: number;
  maxTokens: number;
  timeLimitMs: number;
  /** Context from other files, placed before the prefix. */
  extra?: string;
  /** The smallest suggestion at a line start (postprocess.ts). */
  minChars?: number;
  /** The longest suggestion, in lines: a block body is cut at a statement within it (rules/scope.ts). */
  maxLines?: number;
}

/** A suggestion and the context it was made for (the editor's item range depends on it: `coveredClosers`). */
export interface Suggestion {
  text: string;
  prompt: CompletionContext;
}

interface Running {
  request: InlineRequest;
  controller: AbortController;
  text: Promise<string | undefined>;
}

/**
 * Inline suggestions as the user types, without the editor: a cached suggestion at once; no
 * automatic request with code right of the cursor; an adaptive pause; a generation still running
 * whose prefix the new request extends is kept and its text reused (minus what was typed)
 * instead of cancelled and started again. A caller that stops waiting (the next keystroke) does
 * not stop the generation: the next request decides whether it is still of use.
 */
export class InlineSuggestions {
  private readonly pause = new TypingPause();
  private running: Running | undefined;
  private warming: AbortController | undefined;
  private started = 0;

  constructor(
    private readonly service: InlineCompletionService,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async suggest(
    document: CompletionDocument,
    line: number,
    character: number,
    options: SuggestOptions,
    signal: AbortSignal,
  ): Promise<Suggestion | undefined> {
    if (options.automatic) this.pause.keystroke(this.now());
    const request = await this.service.request(document, line, character);
    if (!request || signal.aborted) return undefined;
    const text = await this.textFor(request, options, signal);
    return text === undefined ? undefined : { text, prompt: request.prompt };
  }

  private async textFor(
    request: InlineRequest,
    options: SuggestOptions,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    if (request.cached !== undefined) return request.cached;

    const reused = await this.reuseRunning(request, signal);
    if (reused.done) return reused.text;
    if (options.automatic && request.prompt.lineSuffix.replace(/\s/g, '').length > MAX_TEXT_RIGHT_OF_CURSOR)
      return undefined;
    if (options.automatic && !(await pause(this.pause.current(options.debounceMs), signal))) return undefined;
    return untilAborted(this.start(request, options), signal);
  }

  /** Generations started, for the benchmark and the tests (they count requests and tokens, never times). */
  get generations(): number {
    return this.started;
  }

  /** Prepares the suggestion for a spot in the background (after an accepted one), so it shows without a pause. */
  prefetch(
    document: CompletionDocument,
    line: number,
    character: number,
    options: Omit<SuggestOptions, 'automatic'>,
  ): Promise<Suggestion | undefined> {
    return this.suggest(document, line, character, { ...options, automatic: false }, new AbortController().signal);
  }

  /**
   * Prepares the prompt of a spot in the background (a file opened, focused or saved: `warm` in
   * inline-completion.ts), so the first suggestion there does not pay for it. A newer warm-up
   * replaces one not done yet; a suggestion being generated is left alone (its prompt is warm).
   */
  warm(
    document: CompletionDocument,
    line: number,
    character: number,
    options: Pick<SuggestOptions, 'extra' | 'maxTokens' | 'maxLines'>,
  ): Promise<CompletionResult | undefined> {
    this.warming?.abort();
    if (this.running) return Promise.resolve(undefined);
    const controller = new AbortController();
    this.warming = controller;
    const { maxTokens, ...rest } = options;
    return this.service.warm(document, line, character, maxTokens, rest, controller.signal).finally(() => {
      if (this.warming === controller) this.warming = undefined;
    });
  }

  /** Cancels the running generation and warm-up (the completion model changed, the provider went away). */
  cancel(): void {
    this.running?.controller.abort();
    this.running = undefined;
    this.warming?.abort();
    this.warming = undefined;
  }

  private async reuseRunning(request: InlineRequest, signal: AbortSignal): Promise<{ done: boolean; text?: string }> {
    const running = this.running;
    if (!running) return { done: false };
    const before = running.request.prompt;
    const extends_ =
      running.request.model.id === request.model.id &&
      before.suffix === request.prompt.suffix &&
      request.prompt.prefix.startsWith(before.prefix);
    if (!extends_) {
      this.cancel();
      return { done: false };
    }
    const text = await untilAborted(running.text, signal);
    if (signal.aborted) return { done: true };
    const typed = request.prompt.prefix.slice(before.prefix.length);
    if (text !== undefined && text.startsWith(typed) && text.length > typed.length)
      return { done: true, text: text.slice(typed.length) };
    return { done: false };
  }

  private start(request: InlineRequest, options: SuggestOptions): Promise<string | undefined> {
    const controller = new AbortController();
    const started = this.now();
    this.started++;
    const text = this.service
      .complete(request, options.maxTokens, controller.signal, {
        timeLimitMs: options.timeLimitMs,
        extra: options.extra,
        minChars: options.minChars,
        maxLines: options.maxLines,
      })
      .then((result) => {
        if (!controller.signal.aborted) this.pause.latency(this.now() - started);
        return result;
      });
    const running = { request, controller, text };
    this.running = running;
    void text.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    return text;
  }
}

/** Resolves after `ms`, or early with false when the signal aborts (the user typed on). */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The promise's value, or undefined as soon as the signal aborts (the promise runs on). */
function untilAborted<T>(promise: Promise<T | undefined>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(signal.aborted ? undefined : value);
      },
      () => resolve(undefined),
    );
  });
}
