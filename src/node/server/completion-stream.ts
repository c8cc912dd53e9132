import type { FastifyReply, FastifyRequest } from 'fastify';
import { EngineError } from '@jan/core';
import { toApiError } from './errors';
import { noteRequest } from './request-log';
import { SseWriter } from './sse';
import type { FinishedCompletion, completionPieces } from './text-completion';

/** How a route writes a streamed completion: an event per piece, the last events, how the stream ends. */
export interface CompletionStreamShape {
  piece(text: string): unknown;
  finish(finished: FinishedCompletion): unknown[];
  /** OpenAI's streams end with `data: [DONE]`; llama-server's just end. */
  end: 'done' | 'close';
}

/**
 * A completion streamed as server-sent events. The status line waits for the first piece, so a
 * failure before any text (a prompt too long, a load that fails) is a real HTTP error; one after
 * it is an error event, as OpenAI's clients expect.
 */
export async function streamCompletion(
  reply: FastifyReply,
  request: FastifyRequest,
  pieces: ReturnType<typeof completionPieces>,
  signal: AbortSignal,
  shape: CompletionStreamShape,
): Promise<FastifyReply> {
  let next = await pieces.next();
  if (signal.aborted) throw new EngineError('ABORTED', 'The client left before the completion started.');
  reply.hijack();
  const sse = new SseWriter(reply.raw);
  sse.open(reply.getHeaders());
  try {
    for (; !next.done; next = await pieces.next()) await sse.send(shape.piece(next.value));
    for (const event of shape.finish(next.value)) await sse.send(event);
    noteRequest(request, { completionTokens: next.value.result.tokens, status: signal.aborted ? 499 : 200 });
    if (shape.end === 'done') sse.done();
    else sse.end();
  } catch (error) {
    const failure = toApiError(error);
    noteRequest(request, { status: failure.status, error: failure.message });
    await sse.fail(failure.body());
  }
  return reply;
}

/** A completion read whole; the client leaving meanwhile is an ABORTED (logged 499). */
export async function wholeCompletion(
  pieces: ReturnType<typeof completionPieces>,
  signal: AbortSignal,
  request: FastifyRequest,
): Promise<{ text: string; finished: FinishedCompletion }> {
  let text = '';
  let next = await pieces.next();
  for (; !next.done; next = await pieces.next()) text += next.value;
  if (signal.aborted) throw new EngineError('ABORTED', 'The client left before the completion was ready.');
  noteRequest(request, { completionTokens: next.value.result.tokens });
  return { text, finished: next.value };
}
