import type { ChatCompletionChunk } from '@jan/core';

/** Reads a chat stream to its end: the text, every chunk, and the final chunk. */
export async function collect(
  stream: AsyncIterable<ChatCompletionChunk>,
): Promise<{ text: string; chunks: ChatCompletionChunk[]; final: ChatCompletionChunk | undefined }> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
  return { text, chunks, final: chunks.find((chunk) => chunk.choices[0]?.finish_reason) };
}
