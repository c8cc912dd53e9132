import { EngineError, type ChatMessage } from '@jan/core';
import type { ArgsOf } from './rpc/methods';

/**
 * Chat messages as the worker takes them. Tool turns cannot be rendered by the worker yet, so a
 * request that carries them is refused with a clear error rather than sent without them.
 */
export function workerMessages(messages: ChatMessage[]): ArgsOf<'chat'>['messages'] {
  return messages.map((message) => {
    if (message.role === 'tool' || (message.role === 'assistant' && message.tool_calls?.length)) {
      throw new EngineError('INVALID_REQUEST', 'The llama.cpp engine cannot take tool calls or tool results yet.');
    }
    return { role: message.role, content: message.content };
  });
}
