/** An assistant.json and the form's draft, both ways; a save changes only what the form shows. */
import {
  ANY_MODEL,
  DEFAULT_CONTEXT_TOKEN_CAP,
  assistantParameters,
  contextRules,
  selectionPromptOverride,
} from '@jan/core';
import type { Assistant, AssistantChanges } from '@jan/core';
import { SELECTION_PROMPT_ACTIONS, type AssistantDraft, type AssistantScopeName } from '@jan/protocol';

export function draftFromAssistant(assistant: Assistant, scope: AssistantScopeName): AssistantDraft {
  const parameters = assistantParameters(assistant);
  const rules = contextRules(assistant);
  const selectionPrompts: AssistantDraft['selectionPrompts'] = {};
  for (const action of SELECTION_PROMPT_ACTIONS) {
    const prompt = selectionPromptOverride(assistant, action);
    if (prompt) selectionPrompts[action] = prompt;
  }
  return {
    scope,
    name: assistant.name,
    avatar: assistant.avatar ?? '',
    description: assistant.description,
    instructions: assistant.instructions,
    model: assistant.model === ANY_MODEL ? '' : assistant.model,
    temperature: parameters.temperature,
    topP: parameters.top_p,
    maxTokens: parameters.max_tokens,
    stop: parameters.stop ?? [],
    contextFiles: rules.files,
    contextTokenCap: rules.tokenCap,
    selectionPrompts,
  };
}

export function emptyDraft(scope: AssistantScopeName): AssistantDraft {
  return {
    scope,
    name: '',
    avatar: '',
    description: '',
    instructions: '',
    model: '',
    stop: [],
    contextFiles: [],
    contextTokenCap: DEFAULT_CONTEXT_TOKEN_CAP,
    selectionPrompts: {},
  };
}

/** Sets `key` when `value` is given and removes it when not, keeping every other key. */
function assign(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) delete target[key];
  else target[key] = value;
}

/**
 * The changes a save makes to the assistant as it is on disk: the form's fields, with the keys
 * of `parameters` and `metadata` it does not show (another tool's, a newer Jan's) left as they were.
 */
export function changesFromDraft(
  current: Pick<Assistant, 'parameters' | 'metadata'>,
  draft: AssistantDraft,
): AssistantChanges {
  const parameters: Record<string, unknown> = { ...current.parameters };
  assign(parameters, 'temperature', draft.temperature);
  assign(parameters, 'top_p', draft.topP);
  assign(parameters, 'max_tokens', draft.maxTokens);
  assign(parameters, 'stop', draft.stop);
  const metadata: Record<string, unknown> = { ...current.metadata };
  assign(metadata, 'context_files', draft.contextFiles);
  assign(
    metadata,
    'context_token_cap',
    draft.contextFiles.length || metadata.context_token_cap !== undefined ? draft.contextTokenCap : undefined,
  );
  const prompts: Record<string, string> = {};
  for (const action of SELECTION_PROMPT_ACTIONS) {
    const prompt = draft.selectionPrompts[action]?.trim();
    if (prompt) prompts[action] = prompt;
  }
  assign(metadata, 'selection_prompts', Object.keys(prompts).length ? prompts : undefined);
  const changes: AssistantChanges = {
    name: draft.name,
    avatar: draft.avatar,
    description: draft.description,
    instructions: draft.instructions,
    model: draft.model || ANY_MODEL,
  };
  if (current.parameters !== undefined || Object.keys(parameters).length) changes.parameters = parameters;
  if (current.metadata !== undefined || Object.keys(metadata).length) changes.metadata = metadata;
  return changes;
}
