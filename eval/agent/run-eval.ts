/**
 * Runs the agent tasks through the path a user's agent turn takes: one JanRuntime (the llama.cpp
 * engine in its worker, the built-in workspace tools, the agent loop of ConversationService), a
 * new thread per task, each task in a fresh copy of the fixture at the same place. Every call is
 * approved (the eval measures the model and the tools, not the user). The harness never fails
 * because the model does: a task that errors or runs out of time is a failed task with a reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  JanSettings,
  MemoryLogger,
  MemorySettings,
  textOf,
  type AgentEvent,
  type AgentStopReason,
  type AgentUsage,
  type ApprovalPort,
  type Logger,
} from '@jan/core';
import { ripgrepOnPath } from '../../extensions/workspace-tools';
import { JanRuntime } from '../../src/node/runtime';
import { freshCopy } from './repo';
import type { AgentTask } from './tasks';

export interface EvalOptions {
  modelFile: string;
  tasks: AgentTask[];
  /** The bundled llama.cpp worker (dist/llamacpp-worker.mjs or a test bundle). */
  workerPath: string;
  maxSteps: number;
  contextSize: number;
  /** Longest reply of one step, in tokens. */
  maxTokens: number;
  /** A task still running after this is stopped and counted as failed. */
  taskTimeoutMs: number;
  threads?: number;
  /** Offer only these tools (by name); default: all registered, as many as the loop's budget allows. */
  tools?: string[];
  /** Where the runtime logs (`--verbose`: stderr); default: kept in memory. */
  logger?: Logger;
  /** Called as each task ends (the CLI prints a line). */
  onTask?(result: TaskResult): void;
}

export interface TaskResult {
  id: string;
  pass: boolean;
  detail: string;
  stopReason: AgentStopReason | 'timeout';
  steps: number;
  toolCalls: number;
  /** Calls that never reached a tool: unknown tool, arguments that did not parse or match the schema. */
  parseFailures: number;
  evaluatedTokens: number;
  generatedTokens: number;
  seconds: number;
  tools: string[];
}

const INSTRUCTIONS = [
  'You are a coding agent working in a small JavaScript repository (the workspace).',
  'Use the tools to look at files and to change them; paths are relative to the workspace.',
  'Make the smallest change that does what is asked. When you are done, reply with a short answer and no tool call.',
].join(' ');

const approveAll: ApprovalPort = { approve: async () => ({ decision: 'allow-once' }) };

export async function runAgentEval(options: EvalOptions): Promise<TaskResult[]> {
  const sandbox = mkdtempSync(path.join(tmpdir(), 'jan-agent-eval-'));
  const repo = path.join(sandbox, 'repo');
  const settings = new MemorySettings({
    'jan.engine.contextSize': options.contextSize,
    'jan.engine.idleUnloadMinutes': 0,
    ...(options.threads ? { 'jan.engine.threads': options.threads } : {}),
  });
  const runtime = new JanRuntime({
    janFolder: path.join(sandbox, 'jan'),
    modelsFolder: path.join(sandbox, 'models'),
    logger: options.logger ?? new MemoryLogger(),
    workerPath: options.workerPath,
    downloadWorkerPath: options.workerPath,
    settings: new JanSettings(settings),
    workspaceRoot: repo,
    isTrusted: () => true,
    workspaceTools: { ripgrepPath: ripgrepOnPath() },
  });
  const results: TaskResult[] = [];
  try {
    const failures = await runtime.start();
    if (failures.length > 0) throw new Error(`${failures[0].name} failed to start: ${failures[0].error}`);
    const modelId = (await runtime.models.importModel(path.resolve(options.modelFile), { mode: 'reference' })).id;
    settings.set('jan.chatModel', modelId);
    for (const task of options.tasks) {
      const result = await runTask(runtime, task, repo, modelId, options);
      results.push(result);
      options.onTask?.(result);
    }
  } finally {
    await runtime.stop();
    rmSync(sandbox, { recursive: true, force: true });
  }
  return results;
}

async function runTask(
  runtime: JanRuntime,
  task: AgentTask,
  repo: string,
  modelId: string,
  options: EvalOptions,
): Promise<TaskResult> {
  const started = performance.now();
  await freshCopy(repo);
  const thread = await runtime.conversational.createThread({
    title: `eval: ${task.id}`,
    assistants: [
      {
        assistant_id: 'agent-eval',
        assistant_name: 'Agent eval',
        instructions: INSTRUCTIONS,
        model: {
          id: modelId,
          engine: 'llamacpp',
          settings: {},
          parameters: { temperature: 0, max_tokens: options.maxTokens },
        },
      },
    ],
  });
  const events: AgentEvent[] = [];
  const subscription = runtime.core.events.on('OnAgentStep', (event) => {
    if (event.threadId === thread.id) events.push(event);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    runtime.conversation.stop(thread.id);
  }, options.taskTimeoutMs);
  let answer = '';
  let harnessError: string | undefined;
  try {
    const { reply } = await runtime.conversation.send(thread.id, task.prompt, [], {
      agent: {
        approval: approveAll,
        trusted: true,
        limits: { maxSteps: options.maxSteps },
        ...(options.tools ? { tools: options.tools } : {}),
      },
    });
    answer = textOf(reply);
    // The service stores a failed turn as a reply with an error instead of throwing.
    if (reply.status === 'error') harnessError = String(reply.metadata?.error ?? 'the reply failed');
  } catch (error) {
    harnessError = error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
    subscription.dispose();
  }
  const finished = events.find((event) => event.type === 'finished');
  const usage: Partial<AgentUsage> = finished?.type === 'finished' ? finished.usage : {};
  const check = timedOut
    ? { pass: false, detail: `stopped: out of time after ${Math.round(options.taskTimeoutMs / 1000)} s` }
    : harnessError
      ? { pass: false, detail: `the turn failed: ${harnessError}` }
      : await task
          .check(repo, answer)
          .catch((error: unknown) => ({ pass: false, detail: `check failed: ${String(error)}` }));
  const tools = events.flatMap((event) => (event.type === 'tool-call' ? [event.tool] : []));
  return {
    id: task.id,
    pass: check.pass,
    detail: check.detail,
    stopReason: timedOut ? 'timeout' : finished?.type === 'finished' ? finished.reason : 'error',
    steps: usage.steps ?? 0,
    toolCalls: usage.toolCalls ?? 0,
    parseFailures: usage.invalidCalls ?? 0,
    evaluatedTokens: usage.evaluatedTokens ?? 0,
    generatedTokens: usage.completionTokens ?? 0,
    seconds: (performance.now() - started) / 1000,
    tools,
  };
}
