/**
 * Tools in the engine contract, in OpenAI's shapes (Jan 0.6 stores them the same way): what a
 * request offers, what a reply calls, and how a streamed call arrives in pieces.
 */

/** A JSON Schema (draft 2020-12 subset) as a plain object, e.g. a tool's `parameters`. */
export type JsonSchema = { [key: string]: unknown };

/** A tool a request offers the model: OpenAI's `tools[].function`. */
export interface ToolDefinition {
  /** `^[A-Za-z0-9_-]{1,64}$`, unique in a request. */
  name: string;
  description: string;
  /** An object schema; arguments are generated (local engines: under a grammar) and checked against it. */
  parameters: JsonSchema;
}

/** A call in an assistant reply: OpenAI's `tool_calls[]`. `arguments` is JSON text. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A piece of a streamed call (OpenAI's `delta.tool_calls[]`): id and name first, arguments in pieces. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

/** OpenAI's `response_format`: a JSON answer, free or matching a schema (local engines: a grammar). */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: JsonSchema; strict?: boolean } };
