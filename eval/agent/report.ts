/** The eval's output: a table a person reads, a summary, and one JSON line for scripts. */
import type { TaskResult } from './run-eval';

export interface EvalSummary {
  tasks: number;
  passed: number;
  pass_rate: number;
  tool_calls: number;
  tool_call_parse_failures: number;
  /** Parse failures over calls the model tried to make. */
  parse_failure_rate: number;
  steps_mean: number;
  steps_max: number;
  evaluated_tokens_mean: number;
  evaluated_tokens_max: number;
  generated_tokens_mean: number;
  generated_tokens_max: number;
  seconds_mean: number;
  seconds_max: number;
}

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const max = (values: number[]): number => (values.length ? Math.max(...values) : 0);

export function summarize(results: TaskResult[]): EvalSummary {
  const calls = results.reduce((sum, result) => sum + result.toolCalls, 0);
  const failures = results.reduce((sum, result) => sum + result.parseFailures, 0);
  const passed = results.filter((result) => result.pass).length;
  const of = (pick: (result: TaskResult) => number) => results.map(pick);
  return {
    tasks: results.length,
    passed,
    pass_rate: round(results.length ? passed / results.length : 0),
    tool_calls: calls,
    tool_call_parse_failures: failures,
    parse_failure_rate: round(calls + failures ? failures / (calls + failures) : 0),
    steps_mean: round(mean(of((result) => result.steps)), 2),
    steps_max: max(of((result) => result.steps)),
    evaluated_tokens_mean: Math.round(mean(of((result) => result.evaluatedTokens))),
    evaluated_tokens_max: max(of((result) => result.evaluatedTokens)),
    generated_tokens_mean: Math.round(mean(of((result) => result.generatedTokens))),
    generated_tokens_max: max(of((result) => result.generatedTokens)),
    seconds_mean: round(mean(of((result) => result.seconds)), 1),
    seconds_max: round(max(of((result) => result.seconds)), 1),
  };
}

const COLUMNS: Array<[string, (result: TaskResult) => string]> = [
  ['task', (result) => result.id],
  ['result', (result) => (result.pass ? 'PASS' : 'fail')],
  ['steps', (result) => String(result.steps)],
  ['calls', (result) => String(result.toolCalls)],
  ['parse fail', (result) => String(result.parseFailures)],
  ['evaluated', (result) => String(result.evaluatedTokens)],
  ['generated', (result) => String(result.generatedTokens)],
  ['s', (result) => result.seconds.toFixed(1)],
  ['ended', (result) => result.stopReason],
  ['why', (result) => result.detail.replace(/\s+/g, ' ').slice(0, 70)],
];

export function table(results: TaskResult[]): string {
  const rows = [COLUMNS.map(([name]) => name), ...results.map((result) => COLUMNS.map(([, cell]) => cell(result)))];
  const widths = COLUMNS.map((_column, index) => Math.max(...rows.map((row) => row[index].length)));
  const line = (row: string[]) =>
    row
      .map((cell, index) => cell.padEnd(widths[index]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function summaryText(summary: EvalSummary): string {
  return [
    `pass rate ${summary.passed}/${summary.tasks} (${Math.round(summary.pass_rate * 100)}%)`,
    `tool calls ${summary.tool_calls}, parse failures ${summary.tool_call_parse_failures} (${Math.round(summary.parse_failure_rate * 100)}%)`,
    `steps mean ${summary.steps_mean} max ${summary.steps_max}`,
    `tokens evaluated mean ${summary.evaluated_tokens_mean} max ${summary.evaluated_tokens_max}, generated mean ${summary.generated_tokens_mean} max ${summary.generated_tokens_max}`,
    `seconds per task mean ${summary.seconds_mean} max ${summary.seconds_max}`,
  ].join('\n');
}
