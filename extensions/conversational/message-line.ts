import type { MessageContent, MessageStatus, StoredMessageRole, TextAnnotation, ThreadMessage } from '@jan/core';
import {
  ShapeError,
  applyChanges,
  compact,
  expectRecord,
  inUnitOf,
  isArray,
  isRecord,
  isString,
  isTextPart,
  optionalField,
  ownField,
  sameJson,
  textContent,
  toMillis,
  toSeconds,
  within,
  A_NUMBER,
  A_STRING,
  AN_OBJECT,
  AN_ARRAY,
} from '@jan/core';

const ROLES: ReadonlySet<string> = new Set<StoredMessageRole>(['system', 'user', 'assistant', 'tool']);
const STATUSES: ReadonlySet<string> = new Set<MessageStatus>(['ready', 'pending', 'error', 'stopped']);

function parseTextPart(part: Record<string, unknown>): MessageContent {
  const text = part.text;
  if (isString(text)) return textContent(text)[0]!;
  const value = expectRecord(text, '"text"');
  const annotations = optionalField(value, 'annotations', AN_ARRAY) ?? [];
  // Jan stores annotations as strings (file paths) or objects: kept as they are.
  return compact(part, {
    type: 'text',
    text: compact(value, {
      value: optionalField(value, 'value', A_STRING) ?? '',
      annotations: annotations as TextAnnotation[],
    }),
  });
}

const isTextRecord = (part: unknown): part is Record<string, unknown> => isRecord(part) && part.type === 'text';

/**
 * Old Jan versions stored content as a plain string. Text parts are normalized; every other part
 * (image, reasoning, tool call, …) is kept as it is so it can be shown as "not shown" and written
 * back; something that is not a part at all stays in the line on disk only.
 */
function parseContent(value: unknown): MessageContent[] {
  if (value === undefined || value === null) return [];
  if (isString(value)) return textContent(value);
  if (!isArray(value)) throw new ShapeError('"content" should be a string or an array');
  const parts: MessageContent[] = [];
  value.forEach((part, index) => {
    if (isTextRecord(part)) parts.push(within(`content[${index}]`, () => parseTextPart(part)));
    else if (isRecord(part) && isString(part.type)) parts.push(part as MessageContent);
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
  if (!role || !ROLES.has(role))
    throw new ShapeError(`"role" should be system, user, assistant or tool, found ${JSON.stringify(role)}`);
  const status = record.status;
  const createdRaw = optionalField(record, 'created', A_NUMBER) ?? optionalField(record, 'created_at', A_NUMBER);
  const updatedRaw = optionalField(record, 'updated', A_NUMBER) ?? optionalField(record, 'completed_at', A_NUMBER);
  const created = toMillis(createdRaw ?? updatedRaw ?? 0);
  const updated = updatedRaw === undefined ? created : toMillis(updatedRaw);
  return compact(record, {
    id,
    object: 'thread.message',
    thread_id: threadId,
    assistant_id: optionalField(record, 'assistant_id', A_STRING),
    role: role as StoredMessageRole,
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
  return compact(message, {
    object: 'thread.message',
    created_at: toSeconds(message.created),
    completed_at: toSeconds(message.updated),
  });
}

/**
 * The text of `after` written over a text part read as `before`: its value, and its annotations
 * only when the caller gives some (a new text part has none, and the file references Jan keeps
 * there, with `name` and `size`, belong to the attachment, not to the words).
 */
function editTextPart(before: MessageContent, after: MessageContent): MessageContent {
  if (!isTextPart(before) || !isTextPart(after)) return after;
  const annotations = after.text.annotations.length > 0 ? after.text.annotations : before.text.annotations;
  return compact(before, { text: compact(before.text, { value: after.text.value, annotations }) });
}

/**
 * The caller's text parts take the places of the text parts on disk, in order; every other part
 * stays where it is (an edit of the text never drops an image or a tool call). Extra text parts
 * go at the end; a part the caller changed keeps the fields it did not change.
 */
function mergeContent(raw: unknown, before: MessageContent[], after: MessageContent[]): unknown {
  if (!isArray(raw)) return sameJson(before, after) ? raw : after;
  const beforeText = before.filter((part) => part.type === 'text');
  const afterText = after.filter((part) => part.type === 'text');
  let next = 0;
  const merged: unknown[] = [];
  for (const part of raw) {
    if (!isTextRecord(part)) merged.push(part);
    else if (next < afterText.length) {
      merged.push(applyChanges(part, beforeText[next], editTextPart(beforeText[next]!, afterText[next]!)));
      next++;
    } else next++;
  }
  return [...merged, ...afterText.slice(Math.min(next, afterText.length))];
}

/** Unix ms and seconds name the same instants; a caller that changed one name changed both. */
const TIME_PAIRS = [
  ['created', 'created_at'],
  ['updated', 'completed_at'],
] as const;

/**
 * The line to write for `after`, an edit of `before` (the message read from `raw`): `raw` with
 * only the fields that differ changed (src/core/store/record.ts), content merged part by part.
 * A time is written under the names the line already uses (both when it uses neither).
 */
export function rewriteMessageLine(
  raw: Record<string, unknown>,
  before: ThreadMessage,
  after: ThreadMessage,
): Record<string, unknown> {
  const times = TIME_PAIRS.flatMap(([ms, seconds]) => {
    const msChanged = after[ms] !== before[ms];
    const secondsChanged = after[seconds] !== before[seconds];
    if (!msChanged && !secondsChanged) return [];
    const millis = msChanged || after[seconds] === undefined ? after[ms] : after[seconds] * 1000;
    const hasMs = Object.hasOwn(raw, ms);
    const hasSeconds = Object.hasOwn(raw, seconds);
    return [
      [ms, hasMs || !hasSeconds ? inUnitOf(ownField(raw, ms), millis) : before[ms]],
      [seconds, hasSeconds || !hasMs ? toSeconds(millis) : before[seconds]],
    ];
  });
  const content = mergeContent(ownField(raw, 'content'), before.content, after.content);
  const wanted = compact(after, { ...Object.fromEntries(times), content });
  return applyChanges(raw, compact(before, { content: ownField(raw, 'content') }), wanted) as Record<string, unknown>;
}
