import * as v from 'valibot';
import type { ToolEnvironment } from '../environment';
import type { ProblemsProvider } from '../problems';
import { defineTool } from '../tool-kit';
import { plural } from './fields';

const schema = v.object({ path: v.optional(v.pipe(v.string(), v.description('Only this file'))) });

export function problemsTool(env: ToolEnvironment, provider: ProblemsProvider) {
  return defineTool({
    name: 'problems',
    description: 'Errors and warnings the editor reports (compiler, linter), for one file or all.',
    schema,
    effect: 'read',
    async run({ args, root }) {
      const found = await provider.problems(root, args.path, env.limits.results);
      if (found.length === 0) return { content: 'No problems reported.', summary: 'no problems' };
      const lines = found.map(
        (item) =>
          `${item.path}:${item.line}:${item.column}: ${item.severity}${item.source ? ` [${item.source}]` : ''}: ${item.message}`,
      );
      return { content: lines.join('\n'), summary: plural(found.length, 'problem') };
    },
  });
}
