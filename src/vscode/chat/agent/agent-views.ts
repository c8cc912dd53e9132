/** Agent events and requests turned into what the chat view draws (src/protocol/agent.ts). */
import { structuredPatch } from 'diff';
import type { ApprovalRequest, FileChange } from '@jan/core';
import { MAX_DIFF_CHARS, type ApprovalView, type FileDiffView } from '@jan/protocol';

const MAX_ARGUMENT_CHARS = 4000;

/** Arguments as short JSON text (the model's own text when they did not parse). */
export function argumentsText(args: Record<string, unknown> | string): string {
  const text = typeof args === 'string' ? args : JSON.stringify(args, null, 1);
  return text.length > MAX_ARGUMENT_CHARS ? `${text.slice(0, MAX_ARGUMENT_CHARS - 10)} …` : text;
}

/** A file change as a unified diff with 3 lines of context, cut with a note past the cap. */
export function fileDiffView(change: FileChange): FileDiffView {
  const kind = change.before === null ? 'create' : change.after === null ? 'delete' : 'edit';
  const patch = structuredPatch(change.path, change.path, change.before ?? '', change.after ?? '', '', '', {
    context: 3,
  });
  const lines = patch.hunks.flatMap((hunk) => [
    `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
    ...hunk.lines,
  ]);
  const body = lines.join('\n');
  const diff = body.length > MAX_DIFF_CHARS ? `${body.slice(0, MAX_DIFF_CHARS)}\n[… the diff goes on]` : body;
  return { path: change.path.slice(0, 4096), kind, diff };
}

export function approvalView(request: ApprovalRequest): ApprovalView {
  const view: ApprovalView = {
    callId: request.callId.slice(0, 200),
    tool: request.tool.slice(0, 200),
    source: request.source.slice(0, 200),
    effect: request.effect,
    arguments: argumentsText(request.arguments),
    restricted: request.restricted,
  };
  if (request.preview?.length) view.diffs = request.preview.slice(0, 20).map(fileDiffView);
  return view;
}
