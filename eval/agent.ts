/**
 * `npm run eval -- agent --model <file.gguf>`: the agent on small coding tasks in a fixture
 * repository (eval/agent/), each in a fresh copy, with automatic pass/fail checks. Prints a
 * table per task (pass, steps, tool calls, tool-call parse failures, tokens evaluated and
 * generated, time) and a summary; `--json` adds one JSON line of the summary.
 *
 * Options: --tasks id,id  --max-steps 12  --context 4096  --max-tokens 512  --task-timeout 600 (s)
 *          --tools name,name (offer only these)  --threads N  --json  --verbose (the runtime's log on stderr)
 *          --self-check (apply the reference solutions: checks pass, no model needed)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '@jan/core';
import { bundleEntry } from '../test/support/bundle-entry';
import { freshCopy } from './agent/repo';
import { summarize, summaryText, table } from './agent/report';
import { runAgentEval } from './agent/run-eval';
import { AGENT_TASKS, type AgentTask } from './agent/tasks';

const stderrLogger: Logger = {
  debug: () => undefined,
  info: (message) => console.error(`[info] ${message}`),
  warn: (message) => console.error(`[warn] ${message}`),
  error: (message) => console.error(`[error] ${message instanceof Error ? message.message : message}`),
};

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  return index === -1 ? undefined : args[index + 1];
}
const flag = (name: string): boolean => process.argv.slice(2).includes(`--${name}`);
const number = (name: string, fallback: number): number => {
  const value = Number(option(name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};

function chosenTasks(): AgentTask[] {
  const wanted = option('tasks')
    ?.split(',')
    .map((id) => id.trim());
  if (!wanted) return AGENT_TASKS;
  const unknown = wanted.filter((id) => !AGENT_TASKS.some((task) => task.id === id));
  if (unknown.length)
    throw new Error(`Unknown task(s) ${unknown.join(', ')}; tasks: ${AGENT_TASKS.map((t) => t.id).join(', ')}`);
  return AGENT_TASKS.filter((task) => wanted.includes(task.id));
}

/** Each reference solution passes its check on a fresh copy, and the untouched copy fails it. */
async function selfCheck(tasks: AgentTask[]): Promise<boolean> {
  const sandbox = mkdtempSync(path.join(tmpdir(), 'jan-agent-eval-check-'));
  let ok = true;
  try {
    for (const task of tasks) {
      const repo = path.join(sandbox, task.id);
      await freshCopy(repo);
      const before = await task.check(repo, '');
      const answer = await task.solve(repo);
      const after = await task.check(repo, answer);
      const good = !before.pass && after.pass;
      ok &&= good;
      console.log(
        `${good ? 'ok  ' : 'BAD '} ${task.id}: untouched ${before.pass ? 'passes' : 'fails'}, solved ${after.pass ? 'passes' : `fails (${after.detail})`}`,
      );
    }
  } finally {
    rmSync(sandbox, { recursive: true, force: true });
  }
  return ok;
}

async function main(): Promise<number> {
  const tasks = chosenTasks();
  if (flag('self-check')) return (await selfCheck(tasks)) ? 0 : 1;
  const model = option('model');
  if (!model) {
    console.error('usage: npm run eval -- agent --model <file.gguf> [--tasks a,b] [--max-steps 12] [--json]');
    return 2;
  }
  const root = process.cwd();
  const workerPath = await bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker', root);
  console.log(`agent eval: ${tasks.length} tasks with ${path.basename(model)}`);
  const results = await runAgentEval({
    modelFile: model,
    tasks,
    workerPath,
    maxSteps: number('max-steps', 12),
    contextSize: number('context', 4096),
    maxTokens: number('max-tokens', 512),
    taskTimeoutMs: number('task-timeout', 600) * 1000,
    threads: option('threads') ? number('threads', 1) : undefined,
    tools: option('tools')
      ?.split(',')
      .map((name) => name.trim()),
    ...(flag('verbose') ? { logger: stderrLogger } : {}),
    onTask: (result) =>
      console.log(
        `  ${result.pass ? 'PASS' : 'fail'} ${result.id} (${result.steps} steps, ${result.seconds.toFixed(1)} s)`,
      ),
  });
  console.log(`\n${table(results)}\n\n${summaryText(summarize(results))}`);
  if (flag('json')) console.log(JSON.stringify(summarize(results)));
  return 0;
}

process.exitCode = await main();
