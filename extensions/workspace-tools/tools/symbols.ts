import * as v from 'valibot';
import type { SymbolLocation } from '@jan/core';
import type { ToolEnvironment } from '../environment';
import { defineTool } from '../tool-kit';
import { plural } from './fields';

const list = (items: SymbolLocation[]): string =>
  items
    .map((item) => `${item.path}:${item.line}: ${item.kind === 'reference' ? '' : `[${item.kind}] `}${item.text}`)
    .join('\n');

export function symbolsTool(env: ToolEnvironment) {
  const schema = v.object({
    name: v.pipe(v.string(), v.minLength(1), v.description('Symbol name')),
    find: v.optional(v.picklist(['definition', 'references', 'matching'])),
  });
  return defineTool({
    name: 'symbols',
    description:
      'Find where a function/class/variable is defined, its references, or symbols whose name contains the text.',
    schema,
    effect: 'read',
    async run({ args, root, context }) {
      const find = args.find ?? 'definition';
      const max = env.limits.results;
      const found =
        find === 'definition'
          ? await env.symbols.definitions(root, args.name, max, context.signal)
          : find === 'references'
            ? await env.symbols.references(root, args.name, max, context.signal)
            : await env.symbols.workspaceSymbols(root, args.name, max, context.signal);
      if (found.length === 0) return { content: `No ${find} found for ${args.name}.`, summary: `no ${find}` };
      const files = new Set(found.map((item) => item.path)).size;
      return {
        content: list(found),
        summary: `${plural(found.length, find === 'references' ? 'reference' : 'symbol')} in ${plural(files, 'file')}`,
      };
    },
  });
}
