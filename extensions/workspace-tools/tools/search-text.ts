import * as v from 'valibot';
import type { ToolEnvironment } from '../environment';
import { defineTool } from '../tool-kit';
import { located, maxResultsField, plural, resultCount } from './fields';

export function searchTextTool(env: ToolEnvironment) {
  const schema = v.object({
    query: v.pipe(v.string(), v.minLength(1)),
    regex: v.optional(v.boolean()),
    case_sensitive: v.optional(v.boolean()),
    include: v.optional(v.pipe(v.string(), v.description('Glob of files to search'))),
    max_results: maxResultsField,
  });
  return defineTool({
    name: 'search_text',
    description: 'Search file contents for text (or a regex if regex is true). Returns path:line: text.',
    schema,
    effect: 'read',
    async run({ args, root, context }) {
      const { matches, truncated } = await env.search.searchText(
        root,
        {
          pattern: args.query,
          isRegex: args.regex ?? false,
          caseSensitive: args.case_sensitive ?? false,
          include: args.include,
          maxResults: resultCount(args.max_results, env.limits.results, env.limits.maxResults),
        },
        context.signal,
      );
      if (matches.length === 0)
        return { content: `No matches for ${JSON.stringify(args.query)}.`, summary: 'no matches' };
      const files = new Set(matches.map((match) => match.path)).size;
      const more = truncated ? '\n[more matches; narrow the query or use include]' : '';
      return {
        content: matches.map(located).join('\n') + more,
        summary: `${plural(matches.length, 'match', 'matches')}${truncated ? '+' : ''} in ${plural(files, 'file')}`,
      };
    },
  });
}
