import { EngineError } from './engines';
import type { InferenceEngine } from './engines';
import type { AssistantExtension } from './extension-types';
import type { ModelChoice } from './model-choice';
import type { ChatCompletionRequest, ChatMessage, Thread, ThreadMessage, ToolDefinition } from './types';
import { promptTextOf } from './types';
import { estimateTokens } from './context';
import { answeredCallId, toolStepsOf } from './agent/stored-steps';
import { instructionsFor } from './instruction-gate';

export { instructionsFor } from './instruction-gate';

/** Tokens a chat template adds around each message (role markers, separators): an allowance. */
const TEMPLATE_TOKENS_PER_MESSAGE = 8;

export interface RequestInput {
  thread: Thread;
  history: ThreadMessage[];
  model: ModelChoice;
  engine: InferenceEngine;
  assistants?: AssistantExtension;
  /** Text added to the instructions (the assistant's always-in-context files). */
  context?: string;
  /** Token counts by `${model}:${message id}`; kept by the caller across turns. */
  tokenCache?: Map<string, number>;
  /** `max_tokens` when the thread sets none. */
  defaultMaxTokens?: number;
  /** Tools offered (an agent turn): sent with the request and counted with the prompt. */
  tools?: ToolDefinition[];
}

export interface BuiltRequest {
  request: ChatCompletionRequest;
  /** Old messages left out so the conversation fits the context window. */
  droppedMessages: number;
}

/** A turn of the conversation and the ids of the stored messages it was made from. */
interface Turn {
  message: ChatMessage;
  key: string;
}

/** What a call with no answer in the file is answered with, so every call has its answer (servers require it). */
const NO_RESULT = '(no result was recorded)';

/**
 * Messages that carry conversation: finished (or stopped) user and assistant turns with text, and
 * the tool calls of agent steps with their answers (from the step itself or a `role: "tool"`
 * line). Rendered the same way at every turn, so the engine's KV cache keeps the prefix.
 */
function collectTurns(history: ThreadMessage[]): Turn[] {
  const answers = new Map<string, string>();
  for (const stored of history) {
    const id = answeredCallId(stored);
    if (id !== undefined && !answers.has(id)) answers.set(id, promptTextOf(stored));
  }
  const turns: Turn[] = [];
  for (const stored of history) {
    if (stored.role === 'system' || stored.role === 'tool') continue;
    if (stored.status !== 'ready' && stored.status !== 'stopped') continue;
    const content = promptTextOf(stored);
    const steps = toolStepsOf(stored);
    if (steps.length > 0) {
      const calls = steps.map((step) => ({
        id: step.id,
        type: 'function' as const,
        function: { name: step.name, arguments: step.arguments },
      }));
      turns.push({ message: { role: 'assistant', content, tool_calls: calls }, key: stored.id });
      for (const step of steps)
        turns.push({
          message: { role: 'tool', tool_call_id: step.id, content: step.result ?? answers.get(step.id) ?? NO_RESULT },
          key: `${stored.id}#${step.id}`,
        });
      continue;
    }
    if (!content.trim()) continue;
    const last = turns[turns.length - 1];
    // Many chat templates reject two turns of one role in a row: merge them (never into a turn with tool calls).
    if (last && last.message.role === stored.role && !('tool_calls' in last.message)) {
      last.message.content += `\n\n${content}`;
      last.key += `+${stored.id}`;
    } else {
      turns.push({ message: { role: stored.role, content }, key: stored.id });
    }
  }
  while (turns.length && turns[0]!.message.role !== 'user') turns.shift();
  return turns;
}

export function conversationTurns(history: ThreadMessage[]): ChatMessage[] {
  return collectTurns(history).map((turn) => turn.message);
}

/** Builds the engine request from the thread, its assistant and its history, fitted to the context. */
export async function buildChatRequest(input: RequestInput): Promise<BuiltRequest> {
  const { thread, model, engine } = input;
  const threadParameters = thread.assistants[0]?.model.parameters ?? {};
  const parameters =
    threadParameters.max_tokens === undefined && input.defaultMaxTokens
      ? { ...threadParameters, max_tokens: input.defaultMaxTokens }
      : threadParameters;
  const settings = thread.assistants[0]?.model.settings ?? {};
  const instructions = [(await instructionsFor(thread, input.assistants)).trim(), input.context?.trim()]
    .filter(Boolean)
    .join('\n\n');
  const turns = collectTurns(input.history);
  const system: ChatMessage[] = instructions ? [{ role: 'system', content: instructions }] : [];

  const contextSize = engine.contextSize?.(model.id) ?? settings.ctx_len;
  const kept =
    contextSize && engine.countTokens
      ? await fitTurns(turns, system, contextSize, parameters.max_tokens, input)
      : turns;

  const request: ChatCompletionRequest = {
    model: model.id,
    messages: [...system, ...kept.map((turn) => turn.message)],
    stream: true,
    session_key: thread.id,
    ...(input.tools?.length ? { tools: input.tools } : {}),
  };
  for (const key of [
    'temperature',
    'top_p',
    'top_k',
    'max_tokens',
    'frequency_penalty',
    'presence_penalty',
    'seed',
  ] as const) {
    const value = parameters[key];
    if (typeof value === 'number' && Number.isFinite(value)) request[key] = value;
  }
  if (Array.isArray(parameters.stop) && parameters.stop.length)
    request.stop = parameters.stop.filter((stop) => typeof stop === 'string');
  return { request, droppedMessages: turns.length - kept.length };
}

/** The room kept for the reply out of a context of `contextSize` tokens (fitTurns and the meter agree). */
export function replyReserve(contextSize: number, maxTokens: number | undefined): number {
  return Math.min(maxTokens ?? Math.floor(contextSize / 4), Math.floor(contextSize / 2));
}

/**
 * About how many tokens the next request takes before the new message: instructions (with
 * `context`) and every stored turn, estimated from their length (no model needs to be loaded).
 */
export function estimateUsage(history: ThreadMessage[], instructions: string): number {
  let used = instructions.trim() ? estimateTokens(instructions) + TEMPLATE_TOKENS_PER_MESSAGE : 0;
  for (const turn of collectTurns(history))
    used += estimateTokens(promptText(turn.message)) + TEMPLATE_TOKENS_PER_MESSAGE;
  return used;
}

/** The text of a turn the model reads: its content and, for a step, its calls. */
function promptText(message: ChatMessage): string {
  if (message.role !== 'assistant' || !message.tool_calls?.length) return message.content;
  return [message.content, ...message.tool_calls.map((call) => `${call.function.name}(${call.function.arguments})`)]
    .filter(Boolean)
    .join('\n');
}

/**
 * Share of the budget dropped at once when a thread outgrows its context. The turns that stay
 * (about 60% of the budget) start the prompt of the next turns unchanged until it overflows
 * again, so the engine's KV cache holds their prefix; dropping one turn per turn instead would
 * change the start of the prompt every time and make the engine evaluate all of it again.
 */
const DROP_SHARE = 0.4;

/**
 * The turns to send: all of them when they fit `contextSize` minus the room kept for the reply,
 * else those from the first cut point that fits. Cut points are counted from the oldest turn, a
 * step of DROP_SHARE of the budget apart, so they do not move as the thread grows. Counts are
 * estimated per message (cached by the caller); the engine's exact count of the rendered prompt,
 * when it has one, has the last word.
 */
async function fitTurns(
  turns: Turn[],
  system: ChatMessage[],
  contextSize: number,
  maxTokens: number | undefined,
  input: RequestInput,
): Promise<Turn[]> {
  const count = async (message: ChatMessage, key?: string): Promise<number> => {
    const cacheKey = key && `${input.model.id}:${key}`;
    const cached = cacheKey ? input.tokenCache?.get(cacheKey) : undefined;
    if (cached !== undefined) return cached;
    const tokens = (await input.engine.countTokens!(input.model.id, promptText(message))) + TEMPLATE_TOKENS_PER_MESSAGE;
    if (cacheKey) input.tokenCache?.set(cacheKey, tokens);
    return tokens;
  };
  if (turns.length === 0) return turns;
  const reserve = replyReserve(contextSize, maxTokens);
  const budget = contextSize - reserve;
  let systemTokens = 0;
  for (const message of system) systemTokens += await count(message);
  if (input.tools?.length) systemTokens += estimateTokens(JSON.stringify(input.tools));
  const counts: number[] = [];
  for (const turn of turns) counts.push(await count(turn.message, turn.key));
  // Estimated tokens from each turn to the newest.
  const from: number[] = [...counts, 0];
  for (let index = turns.length - 1; index >= 0; index--) from[index] = counts[index]! + from[index + 1]!;

  const exactCount = input.engine.countChatTokens?.bind(input.engine);
  const fits = async (start: number): Promise<boolean> => {
    if (systemTokens + from[start]! > budget) return false;
    if (!exactCount) return true;
    const messages = [...system, ...turns.slice(start).map((turn) => turn.message)];
    return (await exactCount(input.model.id, messages, input.tools)) <= budget;
  };
  for (const start of cutPoints(turns, counts, Math.max(1, Math.floor(budget * DROP_SHARE))))
    if (await fits(start)) return turns.slice(start);

  const last = counts[counts.length - 1] ?? 0;
  throw new EngineError(
    'CONTEXT_TOO_LONG',
    `The message is about ${last} tokens, but the model's context holds ${contextSize} with ${reserve} kept for the reply. Shorten the message or raise the context length.`,
  );
}

/**
 * Where the kept conversation may start, oldest first: the first turn, then the first user turn
 * at least `step` estimated tokens after the previous point, then (for a thread whose newest turns are large)
 * every later user turn.
 */
function cutPoints(turns: Turn[], counts: number[], step: number): number[] {
  const points = turns.length ? [0] : [];
  let before = 0;
  let mark = step;
  for (let index = 1; index < turns.length; index++) {
    before += counts[index - 1]!;
    if (before < mark || turns[index]!.message.role !== 'user') continue;
    points.push(index);
    mark = before + step;
  }
  const lastPoint = points[points.length - 1] ?? 0;
  for (let index = lastPoint + 1; index < turns.length; index++)
    if (turns[index]!.message.role === 'user') points.push(index);
  return points;
}
