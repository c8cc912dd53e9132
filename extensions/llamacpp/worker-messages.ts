import type { ChatCompletionRequest, ChatMessage, ToolDefinition } from '@jan/core';
import type { ArgsOf } from './rpc/methods';

type WorkerChat = ArgsOf<'chat'>;

/** Chat messages as the worker takes them: tool calls and tool results included. */
export function workerMessages(messages: ChatMessage[]): WorkerChat['messages'] {
  return messages.map((message) => {
    if (message.role === 'tool') return { role: 'tool', content: message.content, toolCallId: message.tool_call_id };
    if (message.role !== 'assistant') return { role: message.role, content: message.content };
    const toolCalls = message.tool_calls?.map((call) => ({
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    }));
    return { role: 'assistant', content: message.content ?? '', ...(toolCalls?.length ? { toolCalls } : {}) };
  });
}

export function workerTools(tools: ToolDefinition[] | undefined): WorkerChat['tools'] {
  if (!tools?.length) return undefined;
  return tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters }));
}

/** The request's messages, tools, tool choice and response format in the worker's terms. */
export function workerRequest(
  request: ChatCompletionRequest,
): Pick<WorkerChat, 'messages' | 'tools' | 'toolChoice' | 'responseFormat'> {
  const choice = request.tool_choice;
  const format = request.response_format;
  return {
    messages: workerMessages(request.messages),
    tools: workerTools(request.tools),
    toolChoice: typeof choice === 'object' ? { name: choice.function.name } : choice,
    responseFormat:
      format?.type === 'json_object'
        ? { type: 'json_object' }
        : format?.type === 'json_schema'
          ? { type: 'json_schema', schema: format.json_schema.schema }
          : undefined,
  };
}
