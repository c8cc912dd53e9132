import * as v from 'valibot';
import type { ToolEnvironment } from '../environment';
import { defineTool } from '../tool-kit';
import { maxResultsField, plural, resultCount } from './fields';

export function findFilesTool(env: ToolEnvironment) {
  const schema = v.object({
    pattern: v.pipe(v.string(), v.minLength(1), v.description('Glob, e.g. src/**/*.ts or *config*')),
    max_results: maxResultsField,
  });
  return defineTool({
    name: 'find_files',
    description: 'Find workspace files by glob (a name glob matches at any depth). Skips .gitignored files.',
    schema,
    effect: 'read',
    async run({ args, root, context }) {
      const max = resultCount(args.max_results, env.limits.results, env.limits.maxResults);
      const { files, truncated } = await env.search.findFiles(root, args.pattern, max, context.signal);
      if (files.length === 0) return { content: `No files match ${args.pattern}.`, summary: 'no files' };
      const more = truncated ? `\n[more files match; use a narrower pattern]` : '';
      return { content: files.join('\n') + more, summary: `${plural(files.length, 'file')}${truncated ? '+' : ''}` };
    },
  });
}
