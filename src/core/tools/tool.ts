import type { ToolDefinition } from '../types';

/** What running a tool may do: `read` runs without asking; `write` and `run` need the user's approval. */
export type ToolEffect = 'read' | 'write' | 'run';

export interface ToolContext {
  signal: AbortSignal;
  /** The call being answered (the model's `tool_calls[].id`). */
  callId: string;
  threadId?: string;
  /** The folder workspace tools act in; tools that need one refuse without it. */
  workspaceRoot?: string;
}

/** A file a tool changed, with its text before and after (null: did not exist / deleted). */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
}

export interface ToolResult {
  /** What the model reads; the agent loop caps and summarises it to fit the context. */
  content: string;
  /** One line for the step view ("12 matches in 4 files"). */
  summary?: string;
  isError?: boolean;
  /** Files changed, so a turn can be shown as a diff and reverted as one checkpoint. */
  changes?: FileChange[];
}

/**
 * A tool the agent can call. Built-in tools, MCP servers' tools, VS Code's `vscode.lm.tools` and
 * other extensions' tools all register this shape in `ToolRegistry`. The caller validates the
 * arguments against `definition.parameters` before `invoke`, and asks for approval first when
 * `effect` is not `read`.
 */
export interface JanTool {
  readonly definition: ToolDefinition;
  readonly effect: ToolEffect;
  /** Who offers it: `jan` (built-in), `mcp:<server>`, `vscode`, or another extension's id. */
  readonly source: string;
  /** For `write` tools: the changes `invoke` would make, so approval can show a diff first. */
  preview?(args: Record<string, unknown>, context: ToolContext): Promise<FileChange[]>;
  invoke(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult>;
}
