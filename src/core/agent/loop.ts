import type { JanTool } from '../tools';
import type { ChatCompletionRequest, ChatMessage } from '../types';
import type { StreamedReply } from '../reply-stream';
import { fitResult } from './results';
import { CallMemory, runCall, type CallOutcome } from './run-call';
import type { AgentEvent, AgentLimits, AgentStopReason, AgentUsage, ApprovalPort } from './types';

export interface AgentLoopInput {
  threadId: string;
  turnId: string;
  /** The turn's request: the thread fitted to the context, with the offered tools' definitions. */
  request: ChatCompletionRequest;
  offered: JanTool[];
  /** `required`: a call at every step but the last. */
  toolChoice?: 'auto' | 'required';
  approval: ApprovalPort;
  restricted: boolean;
  limits: AgentLimits;
  signal: AbortSignal;
  workspaceRoot?: string;
  /** The model's context length; unknown (a remote engine): results are only capped. */
  contextSize?: number;
  countTokens?: (text: string) => Promise<number>;
  emit(event: AgentEvent): void;
  /** Runs the model once (the reply streams to the user as it comes). */
  model(request: ChatCompletionRequest, step: number): Promise<StreamedReply>;
  /** A step that called tools is over: it is stored before the next one starts. */
  saveStep(reply: StreamedReply, calls: CallOutcome[]): Promise<void>;
}

export interface AgentLoopResult {
  reason: AgentStopReason;
  usage: AgentUsage;
  /** The last model reply: the answer when `reason` is `answered`. */
  last: StreamedReply;
  /** Whether the last reply's calls were run and stored (there is no answer after them). */
  lastWasStep: boolean;
  /** Why the turn stopped early, for the user (a limit, a full context). */
  note?: string;
}

/** Tokens kept free per result beyond its text (the template's markers around it). */
const RESULT_OVERHEAD = 16;
/** Less room than this for a result: the context is full. */
const MIN_RESULT_TOKENS = 48;
/** Assumed when the engine does not say (a remote model): results are cut to a share of it. */
const UNKNOWN_CONTEXT = 16_384;

/**
 * The agent loop: model → tool calls → results → model, until the model answers without calling
 * a tool. Each step sends the same request with the step's call and results appended (so an
 * engine with a KV cache evaluates only those). The last allowed step offers no tool, so the
 * model answers with what it has; repeated invalid or identical calls, a full context and Stop
 * end the turn early with a note.
 */
export async function runAgentLoop(input: AgentLoopInput): Promise<AgentLoopResult> {
  const { limits, signal } = input;
  const usage: AgentUsage = {
    steps: 0,
    toolCalls: 0,
    invalidCalls: 0,
    promptTokens: 0,
    evaluatedTokens: 0,
    completionTokens: 0,
  };
  const messages: ChatMessage[] = [...input.request.messages];
  const offered = new Map(input.offered.map((tool) => [tool.definition.name, tool]));
  const memory = new CallMemory();
  let invalidInARow = 0;
  let repeats = 0;
  for (let step = 1; ; step++) {
    const base = { threadId: input.threadId, turnId: input.turnId, step };
    input.emit({ ...base, type: 'step-started' });
    const lastStep = step >= limits.maxSteps;
    const request: ChatCompletionRequest = { ...input.request, messages: [...messages] };
    if (offered.size > 0 && lastStep) request.tool_choice = 'none';
    else if (offered.size > 0 && input.toolChoice === 'required') request.tool_choice = 'required';
    const reply = await input.model(request, step);
    count(usage, reply);
    const end = (reason: AgentStopReason, lastWasStep: boolean, note?: string): AgentLoopResult => {
      input.emit({ ...base, type: 'finished', reason, usage: { ...usage } });
      return { reason, usage, last: reply, lastWasStep, ...(note ? { note } : {}) };
    };
    if (signal.aborted) return end('stopped', false);
    if (reply.calls.length === 0) return end(lastStep && step > 1 ? 'step-limit' : 'answered', false);
    if (lastStep)
      return end(
        'step-limit',
        false,
        `Stopped after ${limits.maxSteps} steps without an answer. Ask again to go on from here.`,
      );

    const room = roomForResults(input, reply, reply.calls.length);
    const fit = (text: string) => fitResult(text, room.perResult, input.countTokens);
    const outcomes: CallOutcome[] = [];
    for (const call of reply.calls) {
      const outcome = room.full
        ? notRun(call, base, input.emit, 'Not run: the context window is full.')
        : await runCall(call, { ...input, ...base, offered, memory, fit });
      outcomes.push(outcome);
      usage.toolCalls += 1;
      if (outcome.outcome === 'invalid') {
        usage.invalidCalls += 1;
        invalidInARow += 1;
      } else invalidInARow = 0;
      if (outcome.outcome === 'repeated') repeats += 1;
    }
    messages.push(
      { role: 'assistant', content: reply.text, tool_calls: outcomes.map((outcome) => outcome.call) },
      ...outcomes.map((outcome): ChatMessage => ({
        role: 'tool',
        tool_call_id: outcome.call.id,
        content: outcome.result,
      })),
    );
    await input.saveStep(reply, outcomes);
    if (signal.aborted) return end('stopped', true);
    if (room.full)
      return end(
        'context-full',
        true,
        'Stopped: the context window is full. Start a new chat or raise the context length.',
      );
    if (invalidInARow >= limits.maxInvalidCalls) {
      const last = outcomes[outcomes.length - 1]!;
      return end(
        'invalid-calls',
        true,
        `Stopped: ${invalidInARow} tool calls in a row could not be run (last: ${last.summary}). Try rephrasing, or another model.`,
      );
    }
    if (repeats > limits.maxRepeats) {
      const repeated = outcomes.find((outcome) => outcome.outcome === 'repeated')?.call.function.name ?? 'a tool';
      return end('repetition', true, `Stopped: the model kept making the same call (${repeated}).`);
    }
  }
}

/** A call the turn does not run (no room left for its result): the model is told, the view shows it. */
function notRun(
  call: CallOutcome['call'],
  base: { threadId: string; turnId: string; step: number },
  emit: (event: AgentEvent) => void,
  result: string,
): CallOutcome {
  const name = call.function.name;
  const common = { ...base, callId: call.id, tool: name };
  emit({ ...common, type: 'tool-call', source: '', effect: 'read', arguments: call.function.arguments });
  emit({ ...common, type: 'tool-result', outcome: 'error', summary: result });
  return { call, outcome: 'error', result, summary: result };
}

function count(usage: AgentUsage, reply: StreamedReply): void {
  usage.steps += 1;
  usage.completionTokens += reply.completionTokens;
  const prompt = reply.promptTokens ?? 0;
  usage.promptTokens += prompt;
  usage.evaluatedTokens += prompt - (reply.cachedPromptTokens ?? 0);
}

/** The tokens each result of this step may take: a share of the context, and no more than is left. */
function roomForResults(
  input: AgentLoopInput,
  reply: StreamedReply,
  calls: number,
): { perResult: number; full: boolean } {
  const context = input.contextSize ?? UNKNOWN_CONTEXT;
  const reserve = Math.min(input.request.max_tokens ?? Math.floor(context / 4), Math.floor(context / 2));
  const used = reply.promptTokens === undefined ? 0 : reply.promptTokens + reply.completionTokens;
  const left = context - reserve - used - calls * RESULT_OVERHEAD;
  const perResult = Math.min(Math.floor(context * input.limits.resultContextShare), Math.floor(left / calls));
  return { perResult, full: input.contextSize !== undefined && perResult < MIN_RESULT_TOKENS };
}
