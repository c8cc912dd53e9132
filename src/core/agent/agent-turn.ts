import type { InferenceEngine } from '../engines';
import type { EventBus } from '../events';
import type { ModelChoice } from '../model-choice';
import { streamInto, type StreamedReply } from '../reply-stream';
import type { ChatCompletionRequest, ThreadMessage } from '../types';
import { textContent } from '../types';
import { runAgentLoop, type AgentLoopResult } from './loop';
import type { OfferedTools } from './offer';
import type { CallOutcome } from './run-call';
import { storedToolCall } from './stored-steps';
import { DEFAULT_AGENT_LIMITS, type AgentTurnOptions } from './types';

/** What the conversation service lends an agent turn. */
export interface AgentTurnHost {
  events: EventBus;
  now(): number;
  /** Publishes a change of the message being written (OnMessageUpdate, the reply in flight). */
  update(message: ThreadMessage): void;
  /** A new pending assistant message of the thread (for the next step). */
  nextMessage(): ThreadMessage;
  /** Appends a finished step to the thread. */
  save(message: ThreadMessage): Promise<ThreadMessage>;
}

export interface AgentTurnInput {
  threadId: string;
  /** The id of the user message the turn answers. */
  turnId: string;
  engine: InferenceEngine;
  model: ModelChoice;
  request: ChatCompletionRequest;
  offered: OfferedTools;
  /** The pending message the first step streams into. */
  message: ThreadMessage;
  signal: AbortSignal;
  options: AgentTurnOptions;
  trusted: boolean;
  workspaceRoot?: string;
}

export interface AgentTurnResult {
  /**
   * The turn's last message, still to be finished and stored: the answer, or the note saying why
   * it stopped. Undefined when the turn ended right after a stored step (Stop during its tools).
   */
  message: ThreadMessage | undefined;
  /** The last model reply (its tokens go in the last message's metadata). */
  reply: StreamedReply;
  result: AgentLoopResult;
}

/**
 * An agent turn in a thread: each step streams into its own assistant message, and a step that
 * called tools is stored as Jan 0.6 stores one (`metadata.tool_calls` with each call's response)
 * before the next step starts, so a crash or a Stop keeps what was done.
 */
export async function runAgentTurn(host: AgentTurnHost, input: AgentTurnInput): Promise<AgentTurnResult> {
  let message = input.message;
  const stream = { now: host.now, update: host.update };
  const result = await runAgentLoop({
    threadId: input.threadId,
    turnId: input.turnId,
    request: input.request,
    offered: input.offered.tools,
    toolChoice: input.options.toolChoice,
    approval: input.options.approval,
    restricted: !input.trusted,
    limits: { ...DEFAULT_AGENT_LIMITS, ...input.options.limits },
    signal: input.signal,
    workspaceRoot: input.workspaceRoot,
    contextSize: input.engine.contextSize?.(input.model.id),
    countTokens: input.engine.countTokens ? (text) => input.engine.countTokens!(input.model.id, text) : undefined,
    emit: (event) => host.events.emit('OnAgentStep', event),
    model: async (request, step) => {
      if (step > 1) message = host.nextMessage();
      return streamInto(message, input.engine.chat(request, input.signal), input.signal, stream);
    },
    saveStep: async (reply, calls) => {
      finishStep(message, reply, calls, host.now());
      host.update(message);
      await host.save(message);
    },
  });
  if (result.lastWasStep) {
    if (!result.note) return { message: undefined, reply: result.last, result };
    message = host.nextMessage();
  }
  if (result.note) {
    message.content = textContent(result.last.calls.length > 0 || !result.last.text ? result.note : result.last.text);
    host.update(message);
  }
  return { message, reply: result.last, result };
}

/** A step's message as stored: its text, its calls with their answers, its tokens. */
function finishStep(message: ThreadMessage, reply: StreamedReply, calls: CallOutcome[], now: number): void {
  message.content = textContent(reply.text);
  message.status = 'ready';
  message.updated = now;
  message.completed_at = Math.floor(now / 1000);
  message.metadata = {
    ...message.metadata,
    tool_calls: calls.map((outcome) =>
      storedToolCall(outcome.call, {
        result: outcome.result,
        outcome: outcome.outcome,
        summary: outcome.summary,
        ...(outcome.tool ? { source: outcome.tool.source, effect: outcome.tool.effect } : {}),
      }),
    ),
    completion_tokens: reply.completionTokens,
    ...(reply.promptTokens !== undefined ? { prompt_tokens: reply.promptTokens } : {}),
    ...(reply.cachedPromptTokens !== undefined ? { cached_prompt_tokens: reply.cachedPromptTokens } : {}),
  };
}
