/**
 * The assistant form (an editor tab) and its host: the draft the form edits, validated field by
 * field on both sides (the form shows the message next to the field), and the messages between them.
 */
import * as v from 'valibot';
import { validate, type Validated, type ValidationIssue } from '@jan/validation';
import { ModelOptionSchema } from './entities';

export const ASSISTANT_SCOPES = ['workspace', 'user'] as const;
export const AssistantScopeSchema = v.picklist(ASSISTANT_SCOPES);
export type AssistantScopeName = v.InferOutput<typeof AssistantScopeSchema>;

export const SELECTION_PROMPT_ACTIONS = ['explain', 'fix', 'document', 'tests', 'refactor'] as const;

const optionalNumber = (what: string, min: number, max: number, integer = false) =>
  v.optional(
    v.pipe(
      v.number(`${what} must be a number.`),
      v.finite(`${what} must be a number.`),
      v.check((value) => !integer || Number.isInteger(value), `${what} is a whole number.`),
      v.minValue(min, `${what} is ${min} to ${max}.`),
      v.maxValue(max, `${what} is ${min} to ${max}.`),
    ),
  );

/** A workspace-relative path or glob: nothing absolute, nothing that climbs out of the workspace. */
const ContextFileSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'A context file cannot be empty.'),
  v.maxLength(500, 'A context file path is limited to 500 characters.'),
  v.check(
    (file) => !/^([/\\]|[A-Za-z]:)/.test(file) && !file.split(/[/\\]/).includes('..'),
    'Context files are paths inside the workspace (no absolute paths, no "..").',
  ),
);

const PromptSchema = v.optional(v.pipe(v.string(), v.maxLength(10_000, 'A prompt is limited to 10,000 characters.')));

export const AssistantDraftSchema = v.object({
  scope: AssistantScopeSchema,
  name: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'A name is required.'),
    v.maxLength(100, 'A name is limited to 100 characters.'),
  ),
  avatar: v.pipe(v.string(), v.trim(), v.maxLength(16, 'Use one emoji or a short icon name (up to 16 characters).')),
  description: v.pipe(v.string(), v.maxLength(2000, 'A description is limited to 2,000 characters.')),
  instructions: v.pipe(v.string(), v.maxLength(100_000, 'Instructions are limited to 100,000 characters.')),
  /** Empty: whatever chat model the user picked (`*` in the file). */
  model: v.pipe(v.string(), v.trim(), v.maxLength(1000, 'A model id is limited to 1,000 characters.')),
  temperature: optionalNumber('Temperature', 0, 2),
  topP: optionalNumber('Top-p', 0, 1),
  maxTokens: optionalNumber('Max tokens', 1, 1_000_000, true),
  stop: v.pipe(
    v.array(
      v.pipe(
        v.string(),
        v.minLength(1, 'A stop sequence cannot be empty.'),
        v.maxLength(100, 'A stop sequence is limited to 100 characters.'),
      ),
    ),
    v.maxLength(8, 'At most 8 stop sequences.'),
  ),
  contextFiles: v.pipe(v.array(ContextFileSchema), v.maxLength(50, 'At most 50 context files or globs.')),
  contextTokenCap: v.pipe(
    v.number('The token cap must be a number.'),
    v.integer('The token cap is a whole number.'),
    v.minValue(1, 'The token cap is 1 to 100,000.'),
    v.maxValue(100_000, 'The token cap is 1 to 100,000.'),
  ),
  selectionPrompts: v.object({
    explain: PromptSchema,
    fix: PromptSchema,
    document: PromptSchema,
    tests: PromptSchema,
    refactor: PromptSchema,
  }),
});
export type AssistantDraft = v.InferOutput<typeof AssistantDraftSchema>;
export type AssistantDraftField = keyof AssistantDraft;
export type DraftErrors = Partial<Record<AssistantDraftField, string>>;

/** Checks a draft with every field's problem, so the form can show each next to its field at once (`draftErrors`). */
export function validateDraft(input: unknown): Validated<AssistantDraft> {
  return validate(AssistantDraftSchema, input, { all: true });
}

/** The first problem of each field (a nested one, `selectionPrompts.explain`, under its top-level field). */
export function draftErrors(issues: ValidationIssue[]): DraftErrors {
  const errors: DraftErrors = {};
  for (const issue of issues) {
    const field = (issue.path.split(/[.[]/)[0] || 'name') as AssistantDraftField;
    errors[field] ??= issue.message;
  }
  return errors;
}

const LongText = v.pipe(v.string(), v.maxLength(200_000));
const OptionalNumber = v.optional(v.number());
/** A draft as the host loads it from a file: any values (a hand-edited file may break the rules; the form then says so). */
const LoadedDraftSchema = v.object({
  scope: AssistantScopeSchema,
  name: LongText,
  avatar: LongText,
  description: LongText,
  instructions: LongText,
  model: LongText,
  temperature: OptionalNumber,
  topP: OptionalNumber,
  maxTokens: OptionalNumber,
  stop: v.array(LongText),
  contextFiles: v.array(LongText),
  contextTokenCap: v.number(),
  selectionPrompts: v.object({
    explain: v.optional(LongText),
    fix: v.optional(LongText),
    document: v.optional(LongText),
    tests: v.optional(LongText),
    refactor: v.optional(LongText),
  }),
});

const FieldErrorsSchema = v.record(v.string(), v.pipe(v.string(), v.maxLength(10_000)));

export const FormHostMessageSchema = v.variant('type', [
  v.object({
    type: v.literal('load'),
    draft: LoadedDraftSchema,
    /** Undefined: a new assistant, saved under an id made from its name. */
    id: v.optional(v.pipe(v.string(), v.maxLength(200))),
    scopes: v.array(AssistantScopeSchema),
    models: v.array(ModelOptionSchema),
    /** Why this assistant is not used here (a restricted workspace). */
    blocked: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
  }),
  v.object({
    type: v.literal('saved'),
    id: v.pipe(v.string(), v.maxLength(200)),
    message: v.pipe(v.string(), v.maxLength(10_000)),
  }),
  /** Field problems found by the host, or `form` for a failure that belongs to no field. */
  v.object({ type: v.literal('errors'), errors: FieldErrorsSchema }),
]);
export type FormHostMessage = v.InferOutput<typeof FormHostMessageSchema>;

export const FormViewMessageSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  /** Checked by the host with validateDraft: the form's own check is for showing, not for trust. */
  v.object({ type: v.literal('save'), draft: v.unknown() }),
  v.object({ type: v.literal('openJson') }),
]);
export type FormViewMessage = v.InferOutput<typeof FormViewMessageSchema>;

export function parseFormHostMessage(input: unknown): Validated<FormHostMessage> {
  return validate(FormHostMessageSchema, input);
}

export function parseFormViewMessage(input: unknown): Validated<FormViewMessage> {
  return validate(FormViewMessageSchema, input);
}
