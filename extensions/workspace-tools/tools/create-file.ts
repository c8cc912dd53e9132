import * as v from 'valibot';
import type { FileChange } from '@jan/core';
import type { ToolEnvironment } from '../environment';
import { defineTool } from '../tool-kit';
import { openWorkspace, resolveInside, WorkspaceFileError } from '../workspace-path';
import { pathField, plural } from './fields';

const schema = v.object({ path: pathField, content: v.string() });

export function createFileTool(env: ToolEnvironment) {
  const absent = async (root: string, path: string): Promise<void> => {
    const existing = await env.files.read(root, path).catch((error: unknown) => {
      if (error instanceof WorkspaceFileError && error.problem === 'not-found') return undefined;
      throw error;
    });
    if (existing)
      throw new WorkspaceFileError('exists', `${existing.path} already exists; use edit_file.`, existing.path);
  };
  return defineTool({
    name: 'create_file',
    description: 'Create a new file with the given content (folders are made; an existing file is not replaced).',
    schema,
    effect: 'write',
    async preview({ args, root }): Promise<FileChange[]> {
      await absent(root, args.path);
      const { relative } = resolveInside(await openWorkspace(root), args.path);
      return [{ path: relative, before: null, after: args.content }];
    },
    async run({ args, root }) {
      const written = await env.files.write(root, { path: args.path, text: args.content, base: null });
      const lines = args.content === '' ? 0 : args.content.split('\n').length;
      return {
        content: `Created ${written.path} (${plural(lines, 'line')}).`,
        summary: `created ${written.path}`,
        changes: [{ path: written.path, before: null, after: args.content }],
      };
    },
  });
}
