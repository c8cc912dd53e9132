import * as v from 'valibot';
import type { ToolEnvironment } from '../environment';
import { gitDiff } from '../git';
import { defineTool } from '../tool-kit';
import { openWorkspace, resolveInside } from '../workspace-path';
import { plural } from './fields';

const schema = v.object({
  path: v.optional(v.pipe(v.string(), v.description('File or folder'))),
  staged: v.optional(v.boolean()),
  ref: v.optional(v.pipe(v.string(), v.description('Compare with this commit/branch'))),
});

export function gitDiffTool(env: ToolEnvironment) {
  return defineTool({
    name: 'git_diff',
    description: 'Show uncommitted changes (git diff), of one path, staged ones, or against a ref.',
    schema,
    effect: 'read',
    async run({ args, root, context }) {
      const workspace = await openWorkspace(root);
      const path = args.path ? resolveInside(workspace, args.path).relative : undefined;
      const { text, files } = await gitDiff(
        workspace.realRoot,
        { path, staged: args.staged, ref: args.ref, maxBytes: env.limits.diffBytes },
        context.signal,
      );
      return { content: text, summary: files === 0 ? 'no changes' : `${plural(files, 'file')} changed` };
    },
  });
}
