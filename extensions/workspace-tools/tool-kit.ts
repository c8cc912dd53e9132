/**
 * How a workspace tool is declared: one valibot schema gives both the JSON Schema the model sees
 * and the check of the arguments it sends; errors the model can act on (a path outside, an edit
 * that did not match, a bad expression) come back as a tool result with `isError`, not a throw.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { describeIssue, validate } from '@jan/validation';
import type { FileChange, JanTool, JsonSchema, ToolContext, ToolEffect, ToolResult } from '@jan/core';
import { GitError } from './git';
import { SearchError } from './search-common';
import { EditError } from './tolerant-edit';
import { WorkspaceFileError } from './workspace-path';

export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

/** Errors whose message is meant for the model (and the step view) as they are. */
const TOOL_ERRORS = [WorkspaceFileError, EditError, SearchError, GitError, ToolInputError];

export interface ToolCall<A> {
  args: A;
  root: string;
  context: ToolContext;
}

export interface ToolSpec<A> {
  name: string;
  description: string;
  schema: v.GenericSchema<unknown, A>;
  effect: ToolEffect;
  run(call: ToolCall<A>): Promise<ToolResult>;
  preview?(call: ToolCall<A>): Promise<FileChange[]>;
}

/** The JSON Schema the model sees, without what only costs tokens (`$schema`, an empty `required`). */
export function parametersOf(schema: v.GenericSchema): JsonSchema {
  const { $schema: _ignored, ...parameters } = toJsonSchema(schema) as JsonSchema;
  if (Array.isArray(parameters.required) && parameters.required.length === 0) delete parameters.required;
  return parameters;
}

function parse<A>(spec: ToolSpec<A>, args: Record<string, unknown>): A {
  const result = validate(spec.schema, args, { all: true });
  if (result.ok) return result.value as A;
  const problems = result.issues.map((issue) => describeIssue(issue));
  throw new ToolInputError(`Invalid arguments for ${spec.name}: ${problems.join('; ')}`);
}

function rootOf(context: ToolContext): string {
  if (!context.workspaceRoot) throw new ToolInputError('No workspace folder is open, so workspace tools cannot run.');
  return context.workspaceRoot;
}

export function errorResult(error: unknown): ToolResult {
  const message = error instanceof Error ? error.message : String(error);
  return { content: message, summary: message.split('\n')[0].slice(0, 120), isError: true };
}

const isToolError = (error: unknown): boolean => TOOL_ERRORS.some((type) => error instanceof type);

export function defineTool<A>(spec: ToolSpec<A>, source = 'jan'): JanTool {
  const tool: JanTool = {
    definition: { name: spec.name, description: spec.description, parameters: parametersOf(spec.schema) },
    effect: spec.effect,
    source,
    async invoke(args, context) {
      try {
        return await spec.run({ args: parse(spec, args), root: rootOf(context), context });
      } catch (error) {
        if (context.signal.aborted) return { content: 'Stopped.', summary: 'stopped', isError: true };
        if (isToolError(error)) return errorResult(error);
        return errorResult(new Error(`${spec.name} failed: ${error instanceof Error ? error.message : String(error)}`));
      }
    },
  };
  const preview = spec.preview;
  if (preview) tool.preview = (args, context) => preview({ args: parse(spec, args), root: rootOf(context), context });
  return tool;
}
