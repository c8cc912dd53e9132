import * as v from 'valibot';
import type { FileChange } from '@jan/core';
import type { ToolEnvironment } from '../environment';
import { applyEdits } from '../tolerant-edit';
import { defineTool, type ToolCall } from '../tool-kit';
import { WorkspaceFileError } from '../workspace-path';
import { changeDiff } from './change-summary';
import { pathField } from './fields';

const schema = v.object({
  path: pathField,
  edits: v.pipe(
    v.array(v.object({ search: v.string(), replace: v.string() })),
    v.minLength(1),
    v.maxLength(20),
    v.description('Each search: exact lines copied from the file, unique in it'),
  ),
});
type Args = v.InferOutput<typeof schema>;

/** The versions previews were made from, by call: applying after the file changed is a conflict. */
const PREVIEWS_KEPT = 64;

export function editFileTool(env: ToolEnvironment) {
  const previewed = new Map<string, string>();
  const plan = async ({ args, root }: ToolCall<Args>) => {
    const snapshot = await env.files.read(root, args.path);
    const { text } = applyEdits(snapshot.text, args.edits, snapshot.path);
    return { snapshot, after: text };
  };
  return defineTool({
    name: 'edit_file',
    description: 'Edit a file by search/replace: each search text (a few whole lines from the file) is replaced.',
    schema,
    effect: 'write',
    async preview(call): Promise<FileChange[]> {
      const { snapshot, after } = await plan(call);
      previewed.set(call.context.callId, snapshot.version);
      if (previewed.size > PREVIEWS_KEPT) previewed.delete(previewed.keys().next().value as string);
      return [{ path: snapshot.path, before: snapshot.text, after }];
    },
    async run(call) {
      const { snapshot, after } = await plan(call);
      const shown = previewed.get(call.context.callId);
      previewed.delete(call.context.callId);
      if (shown !== undefined && shown !== snapshot.version)
        throw new WorkspaceFileError(
          'conflict',
          `${snapshot.path} changed after the edit was shown for approval; nothing was written. Read it again and redo the edit.`,
          snapshot.path,
        );
      const written = await env.files.write(call.root, { path: snapshot.path, text: after, base: snapshot.version });
      const { diff, added, removed } = changeDiff(written.path, snapshot.text, after);
      return {
        content: `Edited ${written.path}:\n${diff}`,
        summary: `edited ${written.path} (+${added} −${removed})`,
        changes: [{ path: written.path, before: snapshot.text, after }],
      };
    },
  });
}
