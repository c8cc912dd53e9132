import type { ChatCompletionRequest, ChatMessage } from '@jan/core';

/**
 * Messages in OpenAI's shape: an assistant turn that called tools has `content: null` when it
 * wrote no text (some servers refuse an empty string beside `tool_calls`), a tool's answer its
 * `tool_call_id`.
 */
export function wireMessages(messages: ChatMessage[]) {
  return messages.map((message) => {
    if (message.role === 'tool')
      return { role: 'tool' as const, tool_call_id: message.tool_call_id, content: message.content };
    if (message.role === 'assistant' && message.tool_calls?.length)
      return { role: 'assistant' as const, content: message.content || null, tool_calls: message.tool_calls };
    return { role: message.role, content: message.content };
  });
}

/** The request's tools, tool choice and response format in OpenAI's request fields, when it has them. */
export function toolFields(request: ChatCompletionRequest) {
  return {
    ...(request.tools?.length
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function' as const,
            function: { name: tool.name, description: tool.description, parameters: tool.parameters },
          })),
        }
      : {}),
    ...(request.tool_choice && request.tools?.length ? { tool_choice: request.tool_choice } : {}),
    ...(request.response_format ? { response_format: request.response_format } : {}),
  };
}
