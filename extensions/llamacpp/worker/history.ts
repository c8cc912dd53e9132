import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';
import type { ArgsOf } from '../rpc/methods';
import { WorkerError } from '../rpc/server';

type Message = ArgsOf<'chat'>['messages'][number];

/**
 * OpenAI messages → node-llama-cpp history, ending with the model turn to generate. In
 * node-llama-cpp a model turn holds its text, its function calls and their results together, so
 * an assistant message, the tool messages answering its calls and the assistant messages after
 * them form one model turn; the chat wrapper renders it in the template's own tool syntax.
 */
export function toHistory(messages: Message[]): ChatHistoryItem[] {
  if (messages.length === 0) throw new WorkerError('INVALID_REQUEST', 'A chat request needs at least one message');
  const history: ChatHistoryItem[] = [];
  let turn: ChatModelResponse | undefined;
  const unanswered = new Map<string, ChatModelFunctionCall>();
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'user') {
      history.push(
        message.role === 'system' ? { type: 'system', text: message.content } : { type: 'user', text: message.content },
      );
      turn = undefined;
      continue;
    }
    const current: ChatModelResponse = turn ?? { type: 'model', response: [] };
    if (!turn) history.push(current);
    turn = current;
    if (message.role === 'tool') {
      const call = unanswered.get(message.toolCallId);
      // An answer to a call this request does not carry has nothing to attach to: left out.
      if (call) call.result = resultValue(message.content);
      unanswered.delete(message.toolCallId);
      continue;
    }
    if (message.role !== 'assistant') continue;
    if (message.content) current.response.push(message.content);
    (message.toolCalls ?? []).forEach((call, index) => {
      const item: ChatModelFunctionCall = {
        type: 'functionCall',
        name: call.name,
        params: parsed(call.arguments),
        result: '',
        // The calls of one message are one parallel section in templates that have them.
        ...(index === 0 ? { startsNewChunk: true } : {}),
      };
      current.response.push(item);
      unanswered.set(call.id, item);
    });
  }
  // A trailing assistant message is a prefill the reply continues, and after tool results the
  // reply goes on in the same turn; otherwise a new reply starts.
  if (messages[messages.length - 1]!.role === 'user' || messages[messages.length - 1]!.role === 'system')
    history.push({ type: 'model', response: [] });
  return history;
}

/** Arguments as the template shows them: the JSON value, or the text when it is not JSON (a remote model wrote it). */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A JSON result is rendered as JSON; any other text as a string, which the template quotes. */
function resultValue(content: string): unknown {
  const trimmed = content.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return content;
  return parsed(trimmed);
}
