/**
 * An MCP tool result as text for the model. The server is untrusted: its content is only read
 * as data (text parts joined, other parts named), control characters are dropped, and the whole
 * is capped (the start and the end kept) at the user's `maxToolOutputChars`.
 */
import { readableText, type ToolResult } from '@jan/core';

type Part = {
  type?: unknown;
  text?: unknown;
  mimeType?: unknown;
  data?: unknown;
  resource?: unknown;
  uri?: unknown;
  name?: unknown;
};

/** The decoded size of base64 data, without decoding it. */
function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

function partText(part: Part): string {
  switch (part.type) {
    case 'text':
      return typeof part.text === 'string' ? part.text : '';
    case 'image':
    case 'audio':
      return `[${part.type}${typeof part.mimeType === 'string' ? ` ${part.mimeType}` : ''}, ${base64Bytes(part.data)} bytes, not shown]`;
    case 'resource': {
      const resource = (part.resource ?? {}) as Part;
      const uri = typeof resource.uri === 'string' ? resource.uri : 'a resource';
      return typeof resource.text === 'string' ? `[${uri}]\n${resource.text}` : `[${uri}: binary, not shown]`;
    }
    case 'resource_link':
      return `[link: ${typeof part.uri === 'string' ? part.uri : ''}${typeof part.name === 'string' ? ` (${part.name})` : ''}]`;
    default:
      return `[${typeof part.type === 'string' ? part.type.slice(0, 40) : 'unknown'} content, not shown]`;
  }
}

/** Keeps the first and last parts of a long text, with one line saying how much was cut. */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars * 0.6);
  const tail = maxChars - head;
  return `${text.slice(0, head)}\n[… ${(text.length - maxChars).toLocaleString('en-US')} characters cut …]\n${text.slice(-tail)}`;
}

export function resultToToolResult(result: Record<string, unknown>, maxChars: number): ToolResult {
  const parts = Array.isArray(result.content) ? (result.content as Part[]) : [];
  let text = parts.map(partText).filter(Boolean).join('\n');
  if (text === '' && result.structuredContent !== undefined) text = JSON.stringify(result.structuredContent);
  if (text === '' && 'toolResult' in result) text = JSON.stringify(result.toolResult);
  const content = readableText(capText(text, maxChars)) || '(no output)';
  const isError = result.isError === true;
  const firstLine = content.split('\n')[0].slice(0, 100);
  return { content, summary: isError ? `error: ${firstLine}` : firstLine, ...(isError ? { isError } : {}) };
}
