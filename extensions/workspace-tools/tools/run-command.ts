import * as v from 'valibot';
import type { CommandOutcome } from '../commands';
import type { ToolEnvironment } from '../environment';
import { formatBytes } from '../text-file';
import { defineTool } from '../tool-kit';
import { folderInside, openWorkspace } from '../workspace-path';

function ending(outcome: CommandOutcome, timeoutSeconds: number): string {
  switch (outcome.killed) {
    case 'timeout':
      return `timed out after ${timeoutSeconds} s: killed`;
    case 'stopped':
      return 'stopped by the user';
    case 'flood':
      return `killed: more than ${formatBytes(outcome.outputBytes)} of output`;
    default:
      return `exit code ${outcome.exitCode}`;
  }
}

export function runCommandTool(env: ToolEnvironment) {
  const schema = v.object({
    command: v.pipe(v.string(), v.minLength(1), v.description('Shell command')),
    cwd: v.optional(v.pipe(v.string(), v.description('Workspace folder to run in'))),
    timeout_seconds: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(env.limits.maxCommandTimeoutSeconds)),
    ),
  });
  return defineTool({
    name: 'run_command',
    description: 'Run a shell command in the workspace (e.g. tests, build). Returns its output and exit code.',
    schema,
    effect: 'run',
    async run({ args, root, context }) {
      const cwd = await folderInside(await openWorkspace(root), args.cwd ?? '.');
      const timeoutSeconds = Math.min(
        args.timeout_seconds ?? env.limits.commandTimeoutSeconds,
        env.limits.maxCommandTimeoutSeconds,
      );
      const outcome = await env.commands.run({
        command: args.command,
        cwd,
        timeoutMs: timeoutSeconds * 1000,
        maxOutputBytes: env.limits.commandOutputBytes,
        signal: context.signal,
      });
      const end = ending(outcome, timeoutSeconds);
      const output = outcome.output.trimEnd();
      return {
        content: `$ ${args.command}\n${output === '' ? '(no output)' : output}\n[${end}]`,
        summary: end,
        isError: outcome.killed !== undefined,
      };
    },
  });
}
