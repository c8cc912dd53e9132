/**
 * Tool calls in messages.jsonl, as Jan 0.6+ writes them: each agent step is an assistant message
 * whose `metadata.tool_calls` lists `{ tool: { id, type, function: { name, arguments } },
 * response: { content: [{ type: 'text', text }] }, state }` (janhq/jan web-app, `ToolCall`);
 * the answer is the last assistant message. Read back from that, from plain OpenAI entries
 * (`{ id, function }`), from `tool_call` content parts (later Jan) and from `role: "tool"` lines.
 * Everything read is data from a file: checked, bounded, never trusted.
 */
import type { ToolEffect } from '../tools';
import type { ThreadMessage, ToolCall } from '../types';
import type { StepOutcome } from './types';

/** One entry of an assistant message's `metadata.tool_calls`, as written. */
export interface StoredToolCall {
  tool: ToolCall;
  response?: { content: Array<{ type: 'text'; text: string }>; isError?: boolean };
  state: 'pending' | 'ready';
  /** Ours (Jan keeps fields it does not know): how the call ended and its one-line summary. */
  outcome?: StepOutcome;
  summary?: string;
  source?: string;
  effect?: ToolEffect;
}

/** A tool call of a stored message, as the history, the view and the export use it. */
export interface ToolStep {
  id: string;
  name: string;
  /** JSON text, as the model wrote it. */
  arguments: string;
  /** What the model read back; undefined when the file has no answer to the call. */
  result?: string;
  outcome?: StepOutcome;
  summary?: string;
  source?: string;
  effect?: ToolEffect;
}

const OUTCOMES: ReadonlySet<string> = new Set<StepOutcome>([
  'ok',
  'error',
  'denied',
  'invalid',
  'timeout',
  'repeated',
  'stopped',
]);
const EFFECTS: ReadonlySet<string> = new Set<ToolEffect>(['read', 'write', 'run']);
/** Bounds on what a hand-edited file may make us hold per message. */
const MAX_STEPS = 64;
const MAX_TEXT = 1_000_000;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.slice(0, MAX_TEXT) : undefined);

/** The `metadata.tool_calls` entry for a call and how it was answered. */
export function storedToolCall(call: ToolCall, step: Omit<ToolStep, 'id' | 'name' | 'arguments'>): StoredToolCall {
  const stored: StoredToolCall = {
    tool: { id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } },
    state: step.result === undefined ? 'pending' : 'ready',
  };
  if (step.result !== undefined)
    stored.response = {
      content: [{ type: 'text', text: step.result }],
      ...(step.outcome && step.outcome !== 'ok' ? { isError: true } : {}),
    };
  if (step.outcome) stored.outcome = step.outcome;
  if (step.summary) stored.summary = step.summary;
  if (step.source) stored.source = step.source;
  if (step.effect) stored.effect = step.effect;
  return stored;
}

/** The tool calls a stored message made, in order, each with its answer when the message holds one. */
export function toolStepsOf(message: Pick<ThreadMessage, 'role' | 'content' | 'metadata'>): ToolStep[] {
  if (message.role !== 'assistant') return [];
  const steps: ToolStep[] = [];
  const byId = new Map<string, ToolStep>();
  const add = (step: ToolStep | undefined) => {
    if (!step || steps.length >= MAX_STEPS) return;
    const known = byId.get(step.id);
    if (!known) {
      steps.push(step);
      byId.set(step.id, step);
    } else if (known.result === undefined && step.result !== undefined) known.result = step.result;
  };
  const entries = message.metadata?.tool_calls;
  if (Array.isArray(entries)) for (const entry of entries.slice(0, MAX_STEPS)) add(fromMetadata(entry));
  for (const part of message.content.slice(0, 1000)) if (part.type === 'tool_call') add(fromPart(part));
  return steps;
}

/** The call a `role: "tool"` line answers, if it names one. */
export function answeredCallId(message: ThreadMessage): string | undefined {
  return message.role === 'tool' ? text((message as unknown as Json).tool_call_id) : undefined;
}

function fromMetadata(entry: unknown): ToolStep | undefined {
  if (!isRecord(entry)) return undefined;
  // Jan 0.6 wraps the OpenAI call in `tool`; a plain OpenAI call is the entry itself.
  const call = isRecord(entry.tool) ? entry.tool : entry;
  const fn = isRecord(call.function) ? call.function : undefined;
  const id = text(call.id) ?? (typeof call.id === 'number' ? String(call.id) : undefined);
  const name = text(fn?.name);
  if (!id || !name) return undefined;
  const step: ToolStep = { id, name, arguments: argumentsText(fn?.arguments) };
  const result = responseText(entry.response);
  if (result !== undefined) step.result = result;
  if (typeof entry.outcome === 'string' && OUTCOMES.has(entry.outcome)) step.outcome = entry.outcome as StepOutcome;
  const summary = text(entry.summary);
  if (summary) step.summary = summary.slice(0, 500);
  const source = text(entry.source);
  if (source) step.source = source.slice(0, 200);
  if (typeof entry.effect === 'string' && EFFECTS.has(entry.effect)) step.effect = entry.effect as ToolEffect;
  return step;
}

/** A later Jan's `{ type: 'tool_call', tool_call_id, tool_name, input, output }` part. */
function fromPart(part: Json): ToolStep | undefined {
  const id = text(part.tool_call_id);
  const name = text(part.tool_name);
  if (!id || !name) return undefined;
  const step: ToolStep = { id, name, arguments: argumentsText(part.input) };
  if (part.output !== undefined) step.result = responseText(part.output) ?? jsonText(part.output);
  return step;
}

function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, MAX_TEXT);
  return value === undefined ? '{}' : jsonText(value);
}

/** An MCP-style `{ content: [{ type: 'text', text }] }`, a string, or any JSON, as text. */
function responseText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.slice(0, MAX_TEXT);
  if (isRecord(value) && Array.isArray(value.content)) {
    const texts = value.content.flatMap((part) => (isRecord(part) && typeof part.text === 'string' ? [part.text] : []));
    if (texts.length) return texts.join('\n').slice(0, MAX_TEXT);
    if (typeof value.error === 'string') return value.error.slice(0, MAX_TEXT);
  }
  return undefined;
}

function jsonText(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? '').slice(0, MAX_TEXT);
  } catch {
    return '';
  }
}
