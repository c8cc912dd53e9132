import type OpenAI from 'openai';
import { EngineError, runsOnLabel, silentLogger } from '@jan/core';
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  CompletionRequest,
  CompletionResult,
  EngineState,
  EngineStatus,
  InferenceEngine,
  Logger,
  Model,
  RunsOn,
  ToolCallDelta,
} from '@jan/core';
import { createClient } from './client';
import { loadSdk, type OpenAISdk } from './openai-sdk';
import { RequestDeadline, RequestAborted } from './deadline';
import { runsOnOf, type RemoteEngineDefinition } from './definition';
import { toEngineError, type FailureContext } from './errors';
import { fillInMiddle, finishReason } from './fim';
import { detectFimMode } from './fim-detect';
import type { FimMode } from './presets';
import { presetById } from './presets';
import { carriesOutput, ChatChunkSchema, ModelListSchema, parseWire, type WireChatChunk } from './wire';
import { toolFields, wireMessages } from './tool-wire';

export interface RemoteEngineOptions {
  definition: RemoteEngineDefinition;
  /** The engine's API key from VS Code SecretStorage, read before every request (never stored here). */
  apiKey(): Promise<string | undefined>;
  /**
   * Asked before a request to a server the user did not define (a workspace's setting); false
   * refuses the request. Undefined: the user defined it, nothing to ask.
   */
  allowUse?(): Promise<boolean>;
  logger?: Logger;
}

/**
 * An OpenAI-compatible server as an engine: chat streams `/chat/completions` through the official
 * `openai` client, completion fills in the middle the way the preset's server does (fim.ts), and
 * its models are the server's `/models` as `<engine id>/<model id>`. Nothing loads: `load` is a
 * no-op. Every failure is an EngineError naming the engine, with the key removed (errors.ts).
 */
export class RemoteEngine implements InferenceEngine {
  readonly id: string;
  readonly displayName: string;
  /** This machine for a server on it, else the server's host: where code goes. */
  readonly runsOn: RunsOn;
  readonly throughServer = true;
  private readonly logger: Logger;
  private client: { key: string | undefined; client: OpenAI } | undefined;
  /** The `openai` package once a request loaded it (errors.ts tells its error classes apart). */
  private sdk: OpenAISdk | undefined;
  private state: EngineState = 'idle';
  private generating = 0;
  private currentModel: string | undefined;
  private lastError: string | undefined;
  private lastRun: Pick<EngineStatus, 'lastTokensPerSecond' | 'lastFinishReason' | 'lastCompletionTokens'> = {};

  constructor(private readonly options: RemoteEngineOptions) {
    this.id = options.definition.id;
    this.displayName = options.definition.name;
    this.runsOn = runsOnOf(options.definition.baseUrl);
    this.logger = options.logger ?? silentLogger;
  }

  get definition(): RemoteEngineDefinition {
    return this.options.definition;
  }

  /** The server's models, as Jan model entries of this engine. */
  async list(signal?: AbortSignal): Promise<Model[]> {
    // A server out of reach while a picker lists models is not an engine error worth a red status bar.
    const ids = await this.run(undefined, signal, { quiet: true }, async (client, deadline) => {
      const body = await deadline.race(client.get('/models', { signal: deadline.signal }));
      return parseWire(ModelListSchema, body, 'the model list').data.map((entry) => entry.id);
    });
    return ids.map((remoteId) => this.modelEntry(remoteId));
  }

  /** How the server itself says it fills in the middle (fim-detect.ts), or undefined. */
  async detectFim(signal?: AbortSignal): Promise<FimMode | undefined> {
    return this.run(undefined, signal, { quiet: true }, (client, deadline) =>
      deadline.race(detectFimMode(client, deadline.signal)),
    );
  }

  async load(): Promise<void> {}

  async unload(): Promise<void> {}

  chat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncIterable<ChatCompletionChunk> {
    return this.streamChat(request, signal);
  }

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    const modelId = request.model;
    if (!modelId)
      throw new EngineError('NO_MODEL', `No model was named for ${this.displayName}. Select a completion model first.`);
    const remote = this.remoteId(modelId);
    const result = await this.run(remote, signal, {}, (client, deadline) =>
      deadline.race(fillInMiddle(client, this.definition.fim, remote, request, { signal: deadline.signal })),
    );
    this.lastRun = { ...this.lastRun, lastFinishReason: result.finishReason, lastCompletionTokens: result.tokens };
    return { text: result.text, finish_reason: result.finishReason, tokens: result.tokens };
  }

  status(): EngineStatus {
    const state: EngineState = this.generating > 0 ? 'generating' : this.state;
    return { state, modelId: this.currentModel, ...this.lastRun, ...(this.lastError ? { error: this.lastError } : {}) };
  }

  /** The model's id on the server: Jan's id without this engine's prefix. */
  remoteId(modelId: string): string {
    const prefix = `${this.id}/`;
    return modelId.startsWith(prefix) ? modelId.slice(prefix.length) : modelId;
  }

  private modelEntry(remoteId: string): Model {
    return {
      object: 'model',
      version: '1.0',
      format: 'api',
      sources: [],
      id: `${this.id}/${remoteId}`,
      name: remoteId,
      created: 0,
      description: `${remoteId} on ${this.displayName} (${runsOnLabel(this.runsOn)})`,
      settings: {},
      parameters: {},
      metadata: { tags: ['remote'], preset: presetById(this.definition.preset)?.label },
      engine: this.id,
    };
  }

  private async *streamChat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncGenerator<ChatCompletionChunk> {
    if (signal?.aborted) return;
    const remote = this.remoteId(request.model);
    const context = await this.failureContext(remote);
    this.generating++;
    this.currentModel = request.model;
    const started = performance.now();
    let firstAt: number | undefined;
    let lastAt = started;
    let deltas = 0;
    let usageTokens: number | undefined;
    let finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null;
    const deadline = new RequestDeadline(signal, this.definition.timeoutSeconds * 1000);
    try {
      await this.checkAllowed();
      const client = await this.currentClient(context.key);
      const stream = await deadline.race(
        client.chat.completions.create(
          {
            model: remote,
            messages: wireMessages(request.messages),
            stream: true,
            stream_options: { include_usage: true },
            ...sampling(request),
            ...toolFields(request),
          },
          { signal: deadline.signal },
        ),
      );
      for await (const raw of stream) {
        deadline.chunk(carriesOutput(raw));
        const chunk = parseWire(ChatChunkSchema, raw, 'a stream chunk');
        const mapped = this.toChunk(chunk, request.model);
        const choice = mapped.choices[0];
        if (choice?.delta.content || choice?.delta.tool_calls) {
          firstAt ??= performance.now();
          lastAt = performance.now();
          deltas++;
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (mapped.usage) usageTokens = mapped.usage.completion_tokens;
        yield mapped;
      }
      if (deadline.cancelled) {
        finish = 'abort';
        return;
      }
      if (deadline.timedOut) throw new EngineError('REMOTE_ERROR', timeoutText(context, deadline));
      if (!finish)
        throw new EngineError(
          'REMOTE_ERROR',
          `${context.engineName} (${context.host}) closed the connection before the reply finished.`,
        );
      this.state = 'ready';
      this.lastError = undefined;
    } catch (error) {
      if (deadline.cancelled || error instanceof RequestAborted) {
        if (deadline.timedOut && !deadline.cancelled)
          throw this.failed(new EngineError('REMOTE_ERROR', timeoutText(context, deadline)));
        finish = 'abort';
        return;
      }
      throw this.failed(
        deadline.timedOut
          ? new EngineError('REMOTE_ERROR', timeoutText(context, deadline))
          : toEngineError(error, context, this.sdk),
      );
    } finally {
      deadline.dispose();
      this.generating--;
      const tokens = usageTokens ?? deltas;
      this.lastRun = {
        lastTokensPerSecond:
          firstAt !== undefined && tokens > 1 && lastAt > firstAt
            ? ((tokens - 1) / (lastAt - firstAt)) * 1000
            : this.lastRun.lastTokensPerSecond,
        lastFinishReason: finish ?? (deadline.cancelled ? 'abort' : 'error'),
        lastCompletionTokens: tokens,
      };
    }
  }

  private toChunk(chunk: WireChatChunk, modelId: string): ChatCompletionChunk {
    const mapped: ChatCompletionChunk = {
      id: chunk.id,
      object: 'chat.completion.chunk',
      created: chunk.created,
      model: modelId,
      choices: chunk.choices.map((choice) => ({
        index: choice.index,
        delta: {
          ...(choice.delta.content ? { content: choice.delta.content } : {}),
          ...(choice.delta.tool_calls?.length ? { tool_calls: toolCallDeltas(choice.delta.tool_calls) } : {}),
        },
        finish_reason: finishReason(choice.finish_reason),
      })),
    };
    if (chunk.usage) {
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
      mapped.usage = {
        prompt_tokens: chunk.usage.prompt_tokens,
        completion_tokens: chunk.usage.completion_tokens,
        total_tokens: chunk.usage.total_tokens,
        ...(typeof cached === 'number' ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
      };
    }
    return mapped;
  }

  /** One request that is not a stream: consent, key, client, deadline and error mapping. */
  private async run<T>(
    model: string | undefined,
    signal: AbortSignal | undefined,
    how: { quiet?: boolean },
    call: (client: OpenAI, deadline: RequestDeadline) => Promise<T>,
  ): Promise<T> {
    const context = await this.failureContext(model);
    const deadline = new RequestDeadline(signal, this.definition.timeoutSeconds * 1000);
    try {
      await this.checkAllowed();
      return await call(await this.currentClient(context.key), deadline);
    } catch (error) {
      if (deadline.cancelled) throw new EngineError('ABORTED', 'The request was cancelled.');
      const failure = deadline.timedOut
        ? new EngineError('REMOTE_ERROR', timeoutText(context, deadline))
        : toEngineError(error, context, this.sdk);
      throw how.quiet ? failure : this.failed(failure);
    } finally {
      deadline.dispose();
    }
  }

  private async checkAllowed(): Promise<void> {
    if (!this.options.allowUse || (await this.options.allowUse())) return;
    throw new EngineError(
      'REMOTE_ERROR',
      `${this.displayName} (${runsOnLabel(this.runsOn)}) comes from this workspace's settings and was not allowed to receive code. Allow it with "Jan: Edit Remote Engine", or pick another model.`,
    );
  }

  private async failureContext(model: string | undefined): Promise<FailureContext> {
    const key = await this.options.apiKey();
    return {
      engineName: this.displayName,
      host: runsOnLabel(this.runsOn),
      model,
      key,
      timeoutSeconds: this.definition.timeoutSeconds,
    };
  }

  private async currentClient(key: string | undefined): Promise<OpenAI> {
    this.sdk ??= await loadSdk();
    if (!this.client || this.client.key !== key)
      this.client = { key, client: createClient(this.sdk, this.definition, key) };
    return this.client.client;
  }

  private failed(error: EngineError): EngineError {
    if (error.code !== 'ABORTED') {
      this.state = 'error';
      this.lastError = error.message;
      this.logger.warn(error.message);
    }
    return error;
  }
}

/** The server's tool call pieces in the engine contract's shape (nulls dropped; a missing index is the first call). */
function toolCallDeltas(pieces: NonNullable<WireChatChunk['choices'][number]['delta']['tool_calls']>): ToolCallDelta[] {
  return pieces.map((piece) => {
    const delta: ToolCallDelta = { index: typeof piece.index === 'number' ? piece.index : 0 };
    if (piece.id) delta.id = piece.id;
    if (piece.type === 'function') delta.type = 'function';
    const name = piece.function?.name;
    const args = piece.function?.arguments;
    if (name || args) delta.function = { ...(name ? { name } : {}), ...(args ? { arguments: args } : {}) };
    return delta;
  });
}

/** Why the idle deadline ran out: nothing at all, or chunks without any reply in them. */
function timeoutText(context: FailureContext, deadline: RequestDeadline): string {
  const what =
    deadline.chunks > 0
      ? `sent no reply text for ${context.timeoutSeconds} s, only keep-alives or empty chunks`
      : `sent nothing within ${context.timeoutSeconds} s`;
  return `${context.engineName} (${context.host}) ${what}. Check the server, or raise the engine's timeout with "Jan: Edit Remote Engine".`;
}

/** The standard sampling fields only: hosted APIs refuse parameters they do not know (top_k, session_key). */
function sampling(request: ChatCompletionRequest) {
  const out: Record<string, number | string[]> = {};
  for (const key of ['temperature', 'top_p', 'max_tokens', 'frequency_penalty', 'presence_penalty', 'seed'] as const) {
    const value = request[key];
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
  }
  if (request.stop?.length) out.stop = request.stop;
  return out;
}
