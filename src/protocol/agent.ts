/**
 * What the chat view shows of an agent turn while it runs (docs/ARCHITECTURE.md, "Agent mode in
 * the chat"): its steps, the call waiting for the user's approval, and afterwards the checkpoint
 * that reverts the files it changed.
 */
import * as v from 'valibot';
import { IdSchema, ToolStepViewSchema } from './entities';

/** How the next message is answered: a chat reply, or an agent turn whose model may call tools. */
export const ChatModeSchema = v.picklist(['chat', 'agent']);
export type ChatMode = v.InferOutput<typeof ChatModeSchema>;

/** A tool call's id as the model wrote it: shown and echoed back, never used as a path. */
export const CallIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/** Longest diff text sent to the view; the rest is named by a note at its end. */
export const MAX_DIFF_CHARS = 64 * 1024;

/** A changed file as a unified diff, for the approval card and the steps. */
export const FileDiffViewSchema = v.object({
  path: v.pipe(v.string(), v.maxLength(4096)),
  /** `create` / `delete` when the file did not exist before / does not after. */
  kind: v.picklist(['create', 'edit', 'delete']),
  diff: v.pipe(v.string(), v.maxLength(MAX_DIFF_CHARS + 200)),
});
export type FileDiffView = v.InferOutput<typeof FileDiffViewSchema>;

/** A `write` or `run` call waiting for Allow once / Always / Deny. */
export const ApprovalViewSchema = v.object({
  callId: CallIdSchema,
  tool: v.pipe(v.string(), v.maxLength(200)),
  source: v.pipe(v.string(), v.maxLength(200)),
  effect: v.picklist(['write', 'run']),
  /** JSON text, shortened for display. */
  arguments: v.pipe(v.string(), v.maxLength(4000)),
  diffs: v.optional(v.pipe(v.array(FileDiffViewSchema), v.maxLength(20))),
  /** A restricted workspace: "always" is not offered. */
  restricted: v.boolean(),
});
export type ApprovalView = v.InferOutput<typeof ApprovalViewSchema>;

export const AgentTurnViewSchema = v.object({
  turnId: IdSchema,
  running: v.boolean(),
  steps: v.pipe(v.array(ToolStepViewSchema), v.maxLength(256)),
  approval: v.optional(ApprovalViewSchema),
  /** The files the turn changed (workspace-relative), revertable in one click; absent when none. */
  checkpoint: v.optional(
    v.object({
      files: v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(500)),
      /** The turn's change of each file (the first ones), shown after the turn. */
      diffs: v.pipe(v.array(FileDiffViewSchema), v.maxLength(20)),
      /** Reverted already; `conflicts` names files the user changed since, which were left alone. */
      reverted: v.optional(v.object({ conflicts: v.array(v.pipe(v.string(), v.maxLength(4096))) })),
    }),
  ),
});
export type AgentTurnView = v.InferOutput<typeof AgentTurnViewSchema>;

export const ApprovalDecisionSchema = v.picklist(['allow-once', 'allow-always', 'deny']);
