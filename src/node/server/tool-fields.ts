/**
 * `/v1/chat/completions` with tools: `tools`, `tool_choice`, `response_format`, assistant turns
 * with `tool_calls` and `role: "tool"` answers, checked with valibot and turned into the engine
 * contract (src/core/types/tools.ts). The local engine generates the arguments and JSON answers
 * under a grammar made from the schemas, so they parse.
 */
import * as v from 'valibot';
import type { ChatCompletionRequest, ChatMessage, ResponseFormat, ToolChoice, ToolDefinition } from '@jan/core';
import { invalidRequest } from './errors';
import { contentText, parseBody, type ChatRequestBody } from './schemas';

/** OpenAI's name rule: the name also appears in the model's tool-call syntax. */
const toolName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'a name of 1–64 letters, digits, _ or -'));
const jsonSchema = v.record(v.string(), v.unknown());

const ToolSchema = v.looseObject({
  type: v.literal('function'),
  function: v.looseObject({
    name: toolName,
    description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(100_000)))),
    parameters: v.optional(v.nullable(jsonSchema)),
    strict: v.optional(v.nullable(v.boolean())),
  }),
});

const ToolChoiceSchema = v.union([
  v.picklist(['none', 'auto', 'required']),
  v.looseObject({ type: v.literal('function'), function: v.looseObject({ name: toolName }) }),
]);

const ResponseFormatSchema = v.variant('type', [
  v.looseObject({ type: v.literal('text') }),
  v.looseObject({ type: v.literal('json_object') }),
  v.looseObject({
    type: v.literal('json_schema'),
    json_schema: v.looseObject({
      name: v.pipe(v.string(), v.maxLength(64)),
      description: v.optional(v.nullable(v.string())),
      schema: v.optional(v.nullable(jsonSchema)),
      strict: v.optional(v.nullable(v.boolean())),
    }),
  }),
]);

const ToolFieldsSchema = v.looseObject({
  tools: v.optional(v.nullable(v.pipe(v.array(ToolSchema), v.maxLength(128)))),
  tool_choice: v.optional(v.nullable(ToolChoiceSchema)),
  response_format: v.optional(v.nullable(ResponseFormatSchema)),
  parallel_tool_calls: v.optional(v.nullable(v.boolean())),
});

const ToolCallSchema = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  type: v.optional(v.literal('function')),
  function: v.looseObject({ name: v.string(), arguments: v.string() }),
});

/** The tool fields of the messages (their content is checked with the rest of the body, schemas.ts). */
const ToolMessagesSchema = v.looseObject({
  messages: v.array(
    v.variant('role', [
      v.looseObject({ role: v.literal('tool'), tool_call_id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) }),
      v.looseObject({
        role: v.literal('assistant'),
        tool_calls: v.optional(v.nullable(v.pipe(v.array(ToolCallSchema), v.maxLength(128)))),
      }),
      v.looseObject({ role: v.picklist(['system', 'developer', 'user', 'function']) }),
    ]),
  ),
});

/** The request's tool fields in the engine's terms; a named tool must be among `tools`. */
export function toolRequest(
  body: ChatRequestBody,
): Pick<ChatCompletionRequest, 'tools' | 'tool_choice' | 'response_format'> {
  const fields = parseBody(ToolFieldsSchema, body);
  const tools: ToolDefinition[] = (fields.tools ?? []).map(({ function: fn }) => ({
    name: fn.name,
    description: fn.description ?? '',
    parameters: fn.parameters ?? { type: 'object', properties: {} },
  }));
  const names = new Set<string>();
  for (const tool of tools) {
    if (names.has(tool.name)) throw invalidRequest(`Two tools are named '${tool.name}'.`, 'tools', 'invalid_value');
    names.add(tool.name);
  }
  const choice = fields.tool_choice ?? undefined;
  if (typeof choice === 'object' && !names.has(choice.function.name))
    throw invalidRequest(
      `tool_choice names '${choice.function.name}', which is not among the tools.`,
      'tool_choice',
      'invalid_value',
    );
  if (choice === 'required' && tools.length === 0)
    throw invalidRequest("tool_choice 'required' needs at least one tool.", 'tool_choice', 'invalid_value');
  const format = fields.response_format ?? undefined;
  return {
    ...(tools.length ? { tools } : {}),
    ...(choice && tools.length ? { tool_choice: toToolChoice(choice) } : {}),
    ...(format && format.type !== 'text' ? { response_format: toResponseFormat(format) } : {}),
  };
}

function toToolChoice(choice: v.InferOutput<typeof ToolChoiceSchema>): ToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.function.name } };
}

function toResponseFormat(format: v.InferOutput<typeof ResponseFormatSchema>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: 'json_object' };
  const { name, description, schema, strict } = format.json_schema;
  return {
    type: 'json_schema',
    json_schema: {
      name,
      ...(description ? { description } : {}),
      ...(schema ? { schema } : {}),
      ...(typeof strict === 'boolean' ? { strict } : {}),
    },
  };
}

/**
 * OpenAI messages as the engine's: `developer` is a system message; an assistant turn keeps its
 * `tool_calls`, a `tool` turn its `tool_call_id`. The old `function` role is refused by name.
 */
export function chatMessages(body: ChatRequestBody): ChatMessage[] {
  const { messages } = parseBody(ToolMessagesSchema, body);
  return messages.map((message, index): ChatMessage => {
    const param = `messages[${index}]`;
    const content = contentText(body.messages[index]!.content, `${param}.content`);
    if (message.role === 'function')
      throw invalidRequest(
        `${param}: 'function' messages are not supported; use tool_calls and 'tool' messages.`,
        `${param}.role`,
        'unsupported_parameter',
      );
    if (message.role === 'tool') return { role: 'tool', tool_call_id: message.tool_call_id, content };
    if (message.role === 'assistant') {
      const calls = message.tool_calls ?? [];
      if (calls.length === 0) return { role: 'assistant', content };
      const tool_calls = calls.map((call) => ({
        id: call.id,
        type: 'function' as const,
        function: { name: call.function.name, arguments: call.function.arguments },
      }));
      return { role: 'assistant', content, tool_calls };
    }
    return { role: message.role === 'developer' ? 'system' : message.role, content };
  });
}
