/**
 * What an assistant.json says beyond Jan's own fields, read defensively (the file is hand-editable):
 * sampling parameters (Jan 0.6 `parameters`), the files always in its context and its prompts for
 * the selection commands (both under `metadata`, which Jan keeps as it is).
 */
import type { SelectionAction } from './selection-actions';
import type { Assistant, ModelParameters } from './types';

/** Tokens of always-in-context files when the assistant names no cap. */
export const DEFAULT_CONTEXT_TOKEN_CAP = 2000;
export const MAX_CONTEXT_TOKEN_CAP = 100_000;

/** The selection commands whose prompt an assistant can replace. */
export const OVERRIDABLE_ACTIONS = [
  'explain',
  'fix',
  'document',
  'tests',
  'refactor',
] as const satisfies readonly SelectionAction[];
export type OverridableAction = (typeof OVERRIDABLE_ACTIONS)[number];

export interface ContextRules {
  /** Workspace-relative paths or globs (`docs/*.md`). */
  files: string[];
  tokenCap: number;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The sampling parameters a new thread with this assistant starts with. */
export function assistantParameters(assistant: Assistant): ModelParameters {
  const source = record(assistant.parameters);
  const parameters: ModelParameters = {};
  for (const key of ['temperature', 'top_p', 'max_tokens'] as const) {
    const value = finite(source[key]);
    if (value !== undefined) parameters[key] = value;
  }
  if (Array.isArray(source.stop)) {
    const stop = source.stop.filter((item): item is string => typeof item === 'string' && item.length > 0);
    if (stop.length) parameters.stop = stop;
  }
  return parameters;
}

export function contextRules(assistant: Assistant): ContextRules {
  const metadata = record(assistant.metadata);
  const files = Array.isArray(metadata.context_files)
    ? metadata.context_files.filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    : [];
  const cap = finite(metadata.context_token_cap);
  return {
    files: files.map((file) => file.trim()),
    tokenCap:
      cap !== undefined && cap >= 1 ? Math.min(Math.floor(cap), MAX_CONTEXT_TOKEN_CAP) : DEFAULT_CONTEXT_TOKEN_CAP,
  };
}

/** The assistant's own ask for a selection command, when it has one. */
export function selectionPromptOverride(assistant: Assistant | undefined, action: SelectionAction): string | undefined {
  if (!assistant) return undefined;
  const prompt = record(record(assistant.metadata).selection_prompts)[action];
  return typeof prompt === 'string' && prompt.trim() ? prompt.trim() : undefined;
}
