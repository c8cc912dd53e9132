/** Commands on selected code: what each one asks and where its answer goes. */
import { fencedSelection } from './selection-block';

export type SelectionAction = 'explain' | 'fix' | 'document' | 'tests' | 'refactor' | 'custom';

export interface SelectionInput {
  code: string;
  languageId: string;
  /** Workspace-relative path of the file, shown to the model and in chat. */
  fileName: string;
  /** 1-based first and last line of the selection. */
  startLine: number;
  endLine: number;
  /** What the user typed for `custom` (or extra wishes for the others). */
  instruction?: string;
}

interface ActionSpec {
  title: string;
  /** `edit`: the answer replaces the selection after the user accepts a diff. `chat`: it is a chat reply. */
  target: 'chat' | 'edit';
  ask: string;
}

export const SELECTION_ACTIONS: Record<SelectionAction, ActionSpec> = {
  explain: {
    title: 'Explain',
    target: 'chat',
    ask: 'Explain what this code does, step by step, and point out anything surprising.',
  },
  tests: {
    title: 'Write Tests',
    target: 'chat',
    ask: 'Write unit tests for this code, using the test framework the surrounding project most likely uses.',
  },
  fix: {
    title: 'Fix',
    target: 'edit',
    ask: 'Fix the bugs in this code. Keep its behaviour otherwise and keep the style.',
  },
  document: {
    title: 'Document',
    target: 'edit',
    ask: 'Add documentation comments to this code in the idiomatic style of the language. Do not change the code itself.',
  },
  refactor: {
    title: 'Refactor',
    target: 'edit',
    ask: 'Refactor this code for readability without changing its behaviour.',
  },
  custom: { title: 'Custom Prompt', target: 'edit', ask: '' },
};

export const EDIT_SYSTEM_PROMPT =
  'You rewrite code. Reply with the complete replacement for the given code in a single fenced code block, and nothing else: no explanation before or after it.';

/** Characters per token of source code, on the safe side (code tokenizes denser than prose). */
const CODE_CHARS_PER_TOKEN = 3;
/** Room for the fence, its language tag and a line the model adds around the code. */
const FENCE_TOKENS = 64;
const MIN_REWRITE_TOKENS = 128;
const MAX_REWRITE_TOKENS = 4096;

/**
 * The most tokens a rewrite of `code` may generate: twice the selection (documentation comments,
 * a longer fix) plus the fence, so a model that starts explaining in prose is stopped after about
 * the length of the code instead of running for minutes.
 */
export function rewriteTokenLimit(code: string): number {
  const selection = Math.ceil(code.length / CODE_CHARS_PER_TOKEN);
  return Math.min(MAX_REWRITE_TOKENS, Math.max(MIN_REWRITE_TOKENS, 2 * selection + FENCE_TOKENS));
}

/**
 * The user message for an action: the ask (the assistant's own when it has one), the code as a
 * fenced block with its origin, then what the user typed. Typed words come last: the text before
 * them stays the same when the user tries again with other words, and the engine finds it in its
 * KV cache instead of evaluating it again.
 */
export function selectionPrompt(action: SelectionAction, input: SelectionInput, override?: string): string {
  const block = fencedSelection({ ...input, path: input.fileName }).trimEnd();
  return [override ?? SELECTION_ACTIONS[action].ask, block, input.instruction?.trim()].filter(Boolean).join('\n\n');
}

/** Keeps the selection's own leading indentation and trailing newline on the replacement. */
export function fitReplacement(original: string, replacement: string): string {
  const indent = /^[ \t]*/.exec(original)![0];
  let result = replacement;
  if (indent && !/^[ \t]/.test(result)) result = indent + result;
  if (original.endsWith('\n') && !result.endsWith('\n')) result += '\n';
  if (!original.endsWith('\n')) result = result.replace(/\n+$/, '');
  return result;
}
