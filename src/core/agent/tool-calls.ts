import { newId } from '../ids';
import type { ChatCompletionChunk, ToolCall, ToolCallDelta } from '../types';

/** Bounds on what a stream may make us hold: a server that never ends a call's arguments is cut. */
const MAX_CALLS = 32;
const MAX_ARGUMENT_CHARS = 1_000_000;

export interface AssembledCall extends ToolCall {
  /** The stream sent more than MAX_ARGUMENT_CHARS of arguments: the rest was dropped. */
  truncated?: boolean;
}

/**
 * Builds whole tool calls from streamed `delta.tool_calls` pieces (OpenAI's stream: id and name
 * first, arguments in pieces, by `index`). A server that repeats the whole name with every piece
 * is handled like one that sends it once; a call without an id gets one.
 */
export class ToolCallAssembler {
  private readonly byIndex = new Map<number, AssembledCall>();

  add(deltas: ToolCallDelta[] | undefined): void {
    for (const delta of deltas ?? []) {
      const index = Number.isInteger(delta.index) && delta.index >= 0 ? delta.index : this.byIndex.size;
      let call = this.byIndex.get(index);
      if (!call) {
        if (this.byIndex.size >= MAX_CALLS) continue;
        call = { id: '', type: 'function', function: { name: '', arguments: '' } };
        this.byIndex.set(index, call);
      }
      if (delta.id && !call.id) call.id = delta.id;
      const name = delta.function?.name;
      if (name && call.function.name !== name) call.function.name += name;
      const piece = delta.function?.arguments ?? '';
      if (call.function.arguments.length + piece.length > MAX_ARGUMENT_CHARS) call.truncated = true;
      else call.function.arguments += piece;
    }
  }

  get size(): number {
    return this.byIndex.size;
  }

  calls(): AssembledCall[] {
    return [...this.byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => {
        call.id ||= `call_${newId()}`;
        return { ...call, function: { ...call.function } };
      });
  }
}

/** The tool calls of a whole stream (the API server's unstreamed reply, tests). */
export function assembleToolCalls(chunks: Iterable<ChatCompletionChunk>): AssembledCall[] {
  const assembler = new ToolCallAssembler();
  for (const chunk of chunks) assembler.add(chunk.choices[0]?.delta.tool_calls);
  return assembler.calls();
}
