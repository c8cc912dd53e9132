import { EngineError, ON_THIS_MACHINE } from '@jan/core';
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  CompletionRequest,
  CompletionResult,
  EngineStatus,
  InferenceEngine,
  Model,
  RunsOn,
} from '@jan/core';

/** A scripted reply: text, or text and tool calls (arguments as JSON text, or a value to write as JSON). */
export type ScriptedReply = string | { text?: string; calls: Array<{ name: string; arguments: string | object }> };

/** A model.json entry with nothing but an id and an engine. */
export function modelEntry(id: string, engine: string, name = id): Model {
  return {
    object: 'model',
    version: '1.0',
    format: 'gguf',
    sources: [],
    id,
    name,
    created: 0,
    description: '',
    settings: {},
    parameters: {},
    metadata: {},
    engine,
  };
}

/**
 * Lets a test hold a stream between tokens and let tokens through one by one, so "mid-stream"
 * is a state the test creates, not a moment it sleeps until.
 */
export class TokenGate {
  private allowance = 0;
  private waiting: Array<() => void> = [];
  /** Lets `count` more tokens through (all of them with Infinity). */
  release(count = 1): void {
    this.allowance += count;
    while (this.allowance > 0 && this.waiting.length > 0) {
      this.allowance -= 1;
      this.waiting.shift()!();
    }
  }

  /** Waits for the token's turn; an abort lets it through at once (the engine then stops). */
  async pass(signal: AbortSignal | undefined): Promise<void> {
    if (this.allowance > 0) this.allowance -= 1;
    else if (!signal?.aborted) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
}

/**
 * A deterministic engine for the logic around an engine: request building, context fitting,
 * streaming into the store and the view, stop, errors. It stands in for the engine only, never
 * for the store or the view, and is never shipped; real llama.cpp inference is tested by
 * test/integration/llamacpp. A reply is its text cut into tokens at word starts.
 */
export class ScriptedEngine implements InferenceEngine {
  readonly id: string;
  readonly displayName = 'Scripted test engine';
  /** Where it says it runs: this machine unless it stands for a remote engine's host. */
  readonly runsOn: RunsOn;
  readonly requests: ChatCompletionRequest[] = [];
  loads = 0;
  /** The next replies, in order (text, or text and tool calls); once they are used up, `reply`. */
  replies: ScriptedReply[] = [];
  reply = 'ok';
  /** Display names of the listed models (by id); a model without one is named by its id. */
  names: Record<string, string> = {};
  /** When set, every token waits at this gate (see TokenGate). */
  gate: TokenGate | undefined;
  /** Thrown by the next chat, after `failAfterTokens` tokens when that is set. */
  failWith: EngineError | undefined;
  failAfterTokens: number | undefined;
  /** Thrown by the next `load` (then cleared). */
  failNextLoad: EngineError | undefined;
  private readonly context: number | undefined;
  /** The ids it lists, as a remote engine lists its server's models (a test adds one the server starts serving). */
  readonly models: string[];

  /** `models`: the ids it lists as its own, as a remote engine lists its server's models. */
  constructor(options: { id?: string; contextSize?: number; models?: string[]; runsOn?: RunsOn } = {}) {
    this.id = options.id ?? 'scripted';
    this.runsOn = options.runsOn ?? ON_THIS_MACHINE;
    this.context = options.contextSize;
    this.models = options.models ?? [];
  }

  /** A new gate every token of the next replies waits at. */
  hold(): TokenGate {
    this.gate = new TokenGate();
    return this.gate;
  }

  async list(): Promise<Model[]> {
    return this.models.map((id) => modelEntry(id, this.id, this.names[id]));
  }

  async load(): Promise<void> {
    const failure = this.failNextLoad;
    this.failNextLoad = undefined;
    if (failure) throw failure;
    this.loads += 1;
  }

  async unload(): Promise<void> {}

  status(): EngineStatus {
    return { state: this.loads > 0 ? 'ready' : 'idle' };
  }

  contextSize(): number | undefined {
    return this.context;
  }

  async countTokens(_modelId: string, text: string): Promise<number> {
    return text.split(/\s+/).filter(Boolean).length;
  }

  /** Text of the next fill-in-the-middle answers; once used up, `completion`. */
  completions: string[] = [];
  completion = '';
  readonly completeRequests: CompletionRequest[] = [];
  /** Thrown by every `complete` while set. */
  completeFailure: Error | undefined;

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    this.completeRequests.push(request);
    if (this.gate) await this.gate.pass(signal);
    if (signal?.aborted) throw new EngineError('ABORTED', 'The completion was cancelled.');
    if (this.completeFailure) throw this.completeFailure;
    const text = this.completions.shift() ?? this.completion;
    return { text, finish_reason: 'stop', tokens: text.split(/\s+/).filter(Boolean).length };
  }

  async *chat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncIterable<ChatCompletionChunk> {
    this.requests.push(request);
    const failure = this.failWith;
    if (failure && this.failAfterTokens === undefined) throw failure;
    const scripted = this.replies.shift() ?? this.reply;
    const text = typeof scripted === 'string' ? scripted : (scripted.text ?? '');
    const calls = typeof scripted === 'string' ? [] : scripted.calls;
    const tokens = text.match(/\s*\S+|\s+/g) ?? [];
    let sent = 0;
    let finish: 'stop' | 'length' | 'tool_calls' = 'stop';
    for (const token of tokens) {
      if (failure && sent === this.failAfterTokens) throw failure;
      // `max_tokens` ends the reply as llama.cpp does: cut, with finish reason `length`.
      if (request.max_tokens !== undefined && sent >= request.max_tokens) {
        finish = 'length';
        break;
      }
      // A turn of the event loop per token, as a real stream gives the consumer.
      await (this.gate ? this.gate.pass(signal) : new Promise((resolve) => setImmediate(resolve)));
      if (signal?.aborted) return;
      sent += 1;
      yield chunk(request.model, { content: token }, null);
    }
    // Each call in two pieces, as OpenAI streams them: id and name first, then the arguments.
    for (const [index, call] of calls.entries()) {
      if (finish === 'length') break;
      await (this.gate ? this.gate.pass(signal) : new Promise((resolve) => setImmediate(resolve)));
      if (signal?.aborted) return;
      const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
      const id = `call_${this.requests.length}_${index}`;
      const half = Math.floor(args.length / 2);
      yield chunk(
        request.model,
        {
          tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: args.slice(0, half) } }],
        },
        null,
      );
      yield chunk(request.model, { tool_calls: [{ index, function: { arguments: args.slice(half) } }] }, null);
      sent += 1;
      finish = 'tool_calls';
    }
    yield {
      ...chunk(request.model, {}, finish),
      usage: { prompt_tokens: 5, completion_tokens: sent, total_tokens: 5 + sent },
    };
  }
}

function chunk(
  model: string,
  delta: ChatCompletionChunk['choices'][0]['delta'],
  finish: ChatCompletionChunk['choices'][0]['finish_reason'],
): ChatCompletionChunk {
  return {
    id: 'scripted',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}
