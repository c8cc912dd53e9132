import type { FileChange, JanTool, ToolContext, ToolResult } from '../tools';
import type { ToolCall } from '../types';
import { validateArguments } from './arguments';
import { keptText, summaryOf } from './results';
import type { AssembledCall } from './tool-calls';
import type { AgentEvent, AgentLimits, ApprovalDecision, ApprovalPort, StepOutcome } from './types';

/** How one call ended and what the model reads back. */
export interface CallOutcome {
  call: ToolCall;
  tool?: JanTool;
  outcome: StepOutcome;
  result: string;
  summary: string;
  changes?: FileChange[];
}

export interface CallScope {
  threadId: string;
  turnId: string;
  step: number;
  offered: Map<string, JanTool>;
  approval: ApprovalPort;
  /** A restricted workspace: every write asks, "always" is not consulted. */
  restricted: boolean;
  limits: AgentLimits;
  signal: AbortSignal;
  workspaceRoot?: string;
  memory: CallMemory;
  emit(event: AgentEvent): void;
  /** Cuts a result to the room the context has for it. */
  fit(text: string): Promise<string>;
}

/**
 * Calls already made in this turn, by tool and arguments. A read repeated since the last change
 * (a successful `write`) is not run again: the model already has its result.
 */
export class CallMemory {
  private readonly seen = new Set<string>();

  isRepeat(key: string): boolean {
    return this.seen.has(key);
  }

  record(key: string, tool: JanTool, outcome: StepOutcome): void {
    if (tool.effect === 'write' && outcome === 'ok') this.seen.clear();
    else this.seen.add(key);
  }
}

const STOPPED = 'Stopped by the user.';

/**
 * One tool call: the tool must be offered and its arguments valid (else a short error the model
 * can correct, and no tool runs); a repeat is not run; `write` and `run` tools ask the host
 * unless its policy allows them; the tool runs with a signal that aborts on Stop and after
 * `toolTimeoutMs`, and its output is capped and fitted to the context.
 */
export async function runCall(call: AssembledCall, scope: CallScope): Promise<CallOutcome> {
  const base = { threadId: scope.threadId, turnId: scope.turnId, step: scope.step };
  const name = call.function.name;
  const tool = scope.offered.get(name);
  const checked = tool
    ? call.truncated
      ? ({ ok: false, error: `The arguments for ${name} are too long.` } as const)
      : await validateArguments(tool.definition, call.function.arguments)
    : undefined;
  scope.emit({
    ...base,
    type: 'tool-call',
    callId: call.id,
    tool: name,
    source: tool?.source ?? '',
    effect: tool?.effect ?? 'read',
    arguments: checked?.ok ? checked.value : call.function.arguments,
  });
  const finish = (outcome: StepOutcome, result: string, summary: string, extra: Partial<CallOutcome> = {}) => {
    const changes = extra.changes ? { changes: extra.changes } : {};
    scope.emit({ ...base, type: 'tool-result', callId: call.id, tool: name, outcome, summary, ...changes });
    return { call, tool, outcome, result, summary, ...extra };
  };
  if (!tool) {
    const names = [...scope.offered.keys()].join(', ') || 'none';
    return finish('invalid', `There is no tool named "${name}". The tools are: ${names}.`, `unknown tool ${name}`);
  }
  if (!checked!.ok) return finish('invalid', `${checked!.error} Correct them and call ${name} again.`, checked!.error);
  const args = checked!.value;
  const key = `${name}\u0000${stableJson(args)}`;
  if (scope.memory.isRepeat(key))
    return finish(
      'repeated',
      `You already called ${name} with these arguments in this turn; its result is above. Use it, or try something else.`,
      'repeated call, not run again',
    );

  const context: ToolContext = {
    signal: scope.signal,
    callId: call.id,
    threadId: scope.threadId,
    workspaceRoot: scope.workspaceRoot,
  };
  let preview: FileChange[] | undefined;
  if (tool.effect !== 'read') {
    if (tool.preview) {
      const previewed = await bounded((signal) => tool.preview!(args, { ...context, signal }), scope);
      if (previewed.kind !== 'done') return ended(previewed.kind, finish, scope);
      if (previewed.error !== undefined) return finish('error', `Error: ${previewed.error}`, previewed.error);
      preview = previewed.value;
    }
    const decision = await ask(tool, args, preview, call.id, scope);
    if (decision === 'stopped') return finish('stopped', STOPPED, 'stopped');
    if (decision.decision === 'deny') {
      const reason = decision.reason?.trim();
      scope.memory.record(key, tool, 'denied');
      return finish(
        'denied',
        `The user denied this call${reason ? `: ${reason}` : '.'}`,
        reason ? `denied: ${reason}` : 'denied',
      );
    }
  }

  const ran = await bounded((signal) => tool.invoke(args, { ...context, signal }), scope);
  if (ran.kind !== 'done') return ended(ran.kind, finish, scope);
  if (ran.error !== undefined) {
    scope.memory.record(key, tool, 'error');
    return finish('error', `Error: ${ran.error}`, ran.error);
  }
  const output: ToolResult | undefined = ran.value;
  const outcome: StepOutcome = output?.isError ? 'error' : 'ok';
  scope.memory.record(key, tool, outcome);
  const text = await scope.fit(keptText(output));
  return finish(outcome, text, summaryOf(output, text), output?.changes ? { changes: output.changes } : {});
}

async function ask(
  tool: JanTool,
  args: Record<string, unknown>,
  preview: FileChange[] | undefined,
  callId: string,
  scope: CallScope,
): Promise<ApprovalDecision | 'stopped'> {
  const identity = { name: tool.definition.name, source: tool.source };
  if (!scope.restricted && scope.approval.isAlwaysAllowed?.(identity)) return { decision: 'allow-once' };
  const request = {
    threadId: scope.threadId,
    callId,
    tool: identity.name,
    source: identity.source,
    effect: tool.effect as 'write' | 'run',
    arguments: args,
    ...(preview ? { preview } : {}),
    restricted: scope.restricted,
  };
  scope.emit({ threadId: scope.threadId, turnId: scope.turnId, step: scope.step, type: 'approval-needed', request });
  const asked = Promise.resolve()
    .then(() => scope.approval.approve(request, scope.signal))
    .catch((error: unknown): ApprovalDecision => ({
      decision: 'deny',
      reason: `approval failed (${(error as Error)?.message ?? String(error)})`,
    }));
  const decision = await untilAborted(asked, scope.signal);
  if (decision === undefined) return 'stopped';
  if (decision.decision === 'allow-always' && !scope.restricted) await scope.approval.rememberAlways?.(identity);
  return decision;
}

type Bounded<T> = { kind: 'done'; value?: T; error?: string } | { kind: 'stopped' } | { kind: 'timeout' };

/**
 * Runs tool code with a signal that aborts on Stop or after the time limit. The turn does not wait
 * for a tool that ignores its signal: it goes on, and whatever the tool returns later is dropped.
 */
async function bounded<T>(work: (signal: AbortSignal) => Promise<T>, scope: CallScope): Promise<Bounded<T>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timeout')), scope.limits.toolTimeoutMs);
  const stop = () => controller.abort(new Error('stopped'));
  scope.signal.addEventListener('abort', stop, { once: true });
  if (scope.signal.aborted) stop();
  try {
    const settled = await untilAborted(
      Promise.resolve()
        .then(() => work(controller.signal))
        .then(
          (value): Bounded<T> => ({ kind: 'done', value }),
          (error: unknown): Bounded<T> => ({ kind: 'done', error: (error as Error)?.message ?? String(error) }),
        ),
      controller.signal,
    );
    if (settled && !controller.signal.aborted) return settled;
    return scope.signal.aborted ? { kind: 'stopped' } : { kind: 'timeout' };
  } finally {
    clearTimeout(timer);
    scope.signal.removeEventListener('abort', stop);
  }
}

function ended(
  kind: 'stopped' | 'timeout',
  finish: (outcome: StepOutcome, result: string, summary: string) => CallOutcome,
  scope: CallScope,
): CallOutcome {
  if (kind === 'stopped') return finish('stopped', STOPPED, 'stopped');
  const seconds = Math.round(scope.limits.toolTimeoutMs / 1000);
  return finish(
    'timeout',
    `The tool did not answer within ${seconds} s and was stopped.`,
    `timed out after ${seconds} s`,
  );
}

/** The promise's value, or undefined as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const abort = () => resolve(undefined);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** JSON with object keys sorted, so the same arguments in another order are the same call. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${stableJson(child)}`).join(',')}}`;
}
