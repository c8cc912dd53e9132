import type { MessageContent, MessageRole, MessageStatus, TextAnnotation, ThreadMessage } from '@jan/core';
import {
  ShapeError,
  compact,
  expectRecord,
  isArray,
  isRecord,
  isString,
  optionalField,
  textContent,
  toMillis,
  toSeconds,
  within,
  A_NUMBER,
  A_STRING,
  AN_ARRAY,
  AN_OBJECT,
} from '@jan/core';

const ROLES: ReadonlySet<string> = new Set<MessageRole>(['system', 'user', 'assistant']);
const STATUSES: ReadonlySet<string> = new Set<MessageStatus>(['ready', 'pending', 'error', 'stopped']);

function parseTextPart(part: Record<string, unknown>): MessageContent {
  const text = part.text;
  if (isString(text)) return textContent(text)[0]!;
  const value = expectRecord(text, '"text"');
  const annotations = optionalField(value, 'annotations', AN_ARRAY) ?? [];
  return {
    type: 'text',
    // Jan stores annotations as strings (file paths) or objects: kept as they are.
    text: { ...value, value: optionalField(value, 'value', A_STRING) ?? '', annotations: annotations as TextAnnotation[] },
  };
}

/**
 * Old Jan versions stored content as a plain string. Parts other than text (images, tool calls
 * of later versions) are left out in memory; the line on disk keeps them unless this message
 * itself is edited.
 */
function parseContent(value: unknown): MessageContent[] {
  if (value === undefined || value === null) return [];
  if (isString(value)) return textContent(value);
  if (!isArray(value)) throw new ShapeError('"content" should be a string or an array');
  const parts: MessageContent[] = [];
  value.forEach((part, index) => {
    if (isRecord(part) && part.type === 'text') parts.push(within(`content[${index}]`, () => parseTextPart(part)));
  });
  return parts;
}

/**
 * One messages.jsonl line as any Jan version wrote it, normalized in memory: `created`/`updated`
 * in ms (from seconds or from the 0.6 `created_at`/`completed_at`), both name sets filled,
 * content as text parts. A line without an id or a known role is not a message (ShapeError).
 */
export function parseMessage(value: unknown, threadId: string): ThreadMessage {
  const record = expectRecord(value, 'the line');
  const id = optionalField(record, 'id', A_STRING);
  if (!id) throw new ShapeError('"id" is missing');
  const role = optionalField(record, 'role', A_STRING);
  if (!role || !ROLES.has(role)) throw new ShapeError(`"role" should be system, user or assistant, found ${JSON.stringify(role)}`);
  const status = record.status;
  const createdRaw = optionalField(record, 'created', A_NUMBER) ?? optionalField(record, 'created_at', A_NUMBER);
  const updatedRaw = optionalField(record, 'updated', A_NUMBER) ?? optionalField(record, 'completed_at', A_NUMBER);
  const created = toMillis(createdRaw ?? updatedRaw ?? 0);
  const updated = updatedRaw === undefined ? created : toMillis(updatedRaw);
  return compact({
    ...record,
    id,
    object: 'thread.message',
    thread_id: threadId,
    assistant_id: optionalField(record, 'assistant_id', A_STRING),
    role: role as MessageRole,
    content: parseContent(record.content),
    status: isString(status) && STATUSES.has(status) ? (status as MessageStatus) : 'ready',
    created,
    updated,
    created_at: toSeconds(created),
    completed_at: toSeconds(updated),
    metadata: optionalField(record, 'metadata', AN_OBJECT),
  });
}

/** The message as written: Jan 0.4/0.5 `created`/`updated` (ms) plus 0.6 `created_at`/`completed_at` (s). */
export function toStoredMessage(message: ThreadMessage): ThreadMessage {
  return compact({
    ...message,
    object: 'thread.message',
    created_at: toSeconds(message.created),
    completed_at: toSeconds(message.updated),
  });
}
