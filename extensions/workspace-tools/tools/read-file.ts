import * as v from 'valibot';
import type { ToolEnvironment } from '../environment';
import { defineTool, ToolInputError } from '../tool-kit';
import { lineField, pathField, plural } from './fields';

const schema = v.object({ path: pathField, start_line: lineField, end_line: lineField });

export function readFileTool(env: ToolEnvironment) {
  return defineTool({
    name: 'read_file',
    description: 'Read a text file, or lines start_line..end_line of it (1-based).',
    schema,
    effect: 'read',
    async run({ args, root }) {
      const first = args.start_line ?? 1;
      const wanted = args.end_line ?? first + env.limits.readLines - 1;
      if (wanted < first) throw new ToolInputError(`end_line ${wanted} is before start_line ${first}.`);
      const last = Math.min(wanted, first + env.limits.readLines - 1);
      const range = await env.files.readLines(root, args.path, first, last, env.limits.readBytes);
      const through = first + range.lines.length - 1;
      if (range.lines.length === 0) {
        const total = range.total ?? 0;
        const content =
          total === 0
            ? `${range.path} is empty.`
            : `${range.path} has ${plural(total, 'line')}; start_line ${first} is past its end.`;
        return { content, summary: content, isError: total !== 0 };
      }
      const of = range.total === undefined ? '' : ` of ${range.total}`;
      const parts = [`${range.path} lines ${first}-${through}${of}:`, range.lines.join('\n')];
      if (range.more) parts.push(`[${range.path} continues: read from start_line ${through + 1}]`);
      return { content: parts.join('\n'), summary: `${plural(range.lines.length, 'line')} of ${range.path}` };
    },
  });
}
