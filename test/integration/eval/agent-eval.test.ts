import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCopy } from '../../../eval/agent/repo';
import { summarize, summaryText, table } from '../../../eval/agent/report';
import { runAgentEval, type EvalOptions } from '../../../eval/agent/run-eval';
import { AGENT_TASKS, type AgentTask } from '../../../eval/agent/tasks';
import { workerPath } from '../llamacpp/support/engine-fixture';
import { STORIES_FIM } from '../../support/test-models';

let sandbox: string;

beforeAll(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'jan-eval-test-'));
});

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

describe('the agent eval tasks', () => {
  it.each(AGENT_TASKS.map((task) => [task.id, task] as const))(
    '%s: the check fails on the untouched fixture and passes once the task is done',
    async (id, task) => {
      const repo = path.join(sandbox, id);
      await freshCopy(repo);
      expect((await task.check(repo, '')).pass).toBe(false);
      const answer = await task.solve(repo);
      expect(await task.check(repo, answer)).toEqual({ pass: true, detail: 'ok' });
    },
  );

  it('has at least ten tasks with distinct ids', () => {
    expect(AGENT_TASKS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(AGENT_TASKS.map((task) => task.id)).size).toBe(AGENT_TASKS.length);
  });
});

describe('the agent eval harness with the test model', () => {
  const tmpEntries = () => readdirSync(tmpdir()).filter((name) => name.startsWith('jan-agent-eval-'));

  async function evaluate(tasks: AgentTask[], overrides: Partial<EvalOptions> = {}) {
    return runAgentEval({
      modelFile: STORIES_FIM,
      tasks,
      workerPath: await workerPath(),
      maxSteps: 2,
      contextSize: 2048,
      maxTokens: 32,
      taskTimeoutMs: 600_000,
      // The test model's tokenizer is tiny: with every tool described, a prompt would not fit its 2048 tokens.
      tools: ['read_file', 'search_text'],
      ...overrides,
    });
  }

  it('runs tasks end to end through the runtime and the agent loop, counting steps and tokens', async () => {
    const before = tmpEntries();
    const results = await evaluate(AGENT_TASKS.filter((task) => ['find-setting', 'fix-readme'].includes(task.id)));
    expect(results.map((result) => result.id)).toEqual(['find-setting', 'fix-readme']);
    for (const result of results) {
      expect(result.steps).toBeGreaterThanOrEqual(1);
      expect(result.steps).toBeLessThanOrEqual(2);
      expect(result.evaluatedTokens).toBeGreaterThan(0);
      expect(result.generatedTokens).toBeGreaterThan(0);
      expect(['answered', 'step-limit', 'invalid-calls', 'repetition', 'context-full']).toContain(result.stopReason);
      expect(typeof result.pass).toBe('boolean');
    }
    const summary = summarize(results);
    expect(summary).toMatchObject({ tasks: 2, steps_max: Math.max(...results.map((result) => result.steps)) });
    expect(summary.tool_calls + summary.tool_call_parse_failures).toBe(
      results.reduce((sum, result) => sum + result.toolCalls + result.parseFailures, 0),
    );
    const printed = table(results);
    expect(printed.split('\n')[0]).toMatch(
      /^task\s+result\s+steps\s+calls\s+parse fail\s+evaluated\s+generated\s+s\s+ended\s+why$/,
    );
    expect(printed.split('\n')).toHaveLength(4);
    expect(summaryText(summary)).toMatch(/^pass rate \d+\/2/);
    expect(tmpEntries()).toEqual(before);
  }, 900_000);

  const sayHello = (id: string, check: AgentTask['check']): AgentTask => ({
    id,
    prompt: 'Say hello.',
    check,
    solve: async () => '',
  });

  it('counts a turn that fails, a check that throws and a task out of time as failed tasks, and goes on', async () => {
    const passing = async () => ({ pass: true, detail: 'ok' });
    // Every tool described does not fit the test model's context: the service stores the turn as failed.
    const [noRoom, afterIt] = await evaluate([sayHello('no-room', passing), sayHello('after-it', passing)], {
      tools: undefined,
    });
    expect(noRoom).toMatchObject({ pass: false, detail: expect.stringContaining('the turn failed: ') });
    expect(afterIt.id).toBe('after-it');
    const [throwing] = await evaluate([
      sayHello('throwing-check', async () => {
        throw new Error('the check broke');
      }),
    ]);
    expect(throwing).toMatchObject({ pass: false, detail: 'check failed: Error: the check broke' });
    const [late] = await evaluate([sayHello('out-of-time', passing)], { taskTimeoutMs: 1 });
    expect(late).toMatchObject({ pass: false, stopReason: 'timeout' });
  }, 900_000);
});
