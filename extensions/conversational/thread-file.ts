import type { Thread, ThreadAssistantInfo, ThreadModelInfo } from '@jan/core';
import {
  ANY_MODEL,
  DEFAULT_ENGINE,
  DEFAULT_THREAD_TITLE,
  compact,
  expectRecord,
  isArray,
  isFiniteNumber,
  isRecord,
  isString,
  optionalField,
  toMillis,
  within,
} from '@jan/core';

const aString = [isString, 'a string'] as const;
const aNumber = [isFiniteNumber, 'a number'] as const;
const anObject = [isRecord, 'an object'] as const;

function parseModelInfo(value: Record<string, unknown>): ThreadModelInfo {
  return {
    ...value,
    id: optionalField(value, 'id', ...aString) ?? ANY_MODEL,
    settings: optionalField(value, 'settings', ...anObject) ?? {},
    parameters: optionalField(value, 'parameters', ...anObject) ?? {},
    // Always written: Jan lost threads when `model.engine` went missing.
    engine: optionalField(value, 'engine', ...aString) || DEFAULT_ENGINE,
  };
}

function parseThreadAssistant(value: unknown): ThreadAssistantInfo {
  const record = expectRecord(value, 'the entry');
  const assistantId = optionalField(record, 'assistant_id', ...aString) ?? optionalField(record, 'id', ...aString) ?? 'jan';
  const assistantName = optionalField(record, 'assistant_name', ...aString) ?? optionalField(record, 'name', ...aString) ?? 'Jan';
  return compact({
    ...record,
    assistant_id: assistantId,
    assistant_name: assistantName,
    id: assistantId,
    name: assistantName,
    model: within('model', () => parseModelInfo(optionalField(record, 'model', ...anObject) ?? {})),
    instructions: optionalField(record, 'instructions', ...aString),
  });
}

/**
 * A thread.json as any Jan version wrote it, normalized in memory (never written back on read):
 * missing fields defaulted, seconds turned into ms, 0.6 names (`assistants[].id/name`) filled,
 * `model.engine` always set. The folder name is the id, as in Jan. Unknown fields are kept.
 */
export function parseThread(value: unknown, folderId: string): Thread {
  const record = expectRecord(value, 'thread.json');
  const metadata = optionalField(record, 'metadata', ...anObject);
  const assistants = optionalField(record, 'assistants', isArray, 'an array') ?? [];
  const createdRaw = optionalField(record, 'created', ...aNumber) ?? optionalField(record, 'created_at', ...aNumber);
  const updatedRaw = optionalField(record, 'updated', ...aNumber) ?? optionalField(record, 'updated_at', ...aNumber);
  const created = toMillis(createdRaw ?? updatedRaw ?? 0);
  const metadataTitle = metadata && isString(metadata.title) ? metadata.title : undefined;
  return compact({
    ...record,
    id: folderId,
    object: 'thread',
    title: optionalField(record, 'title', ...aString) ?? metadataTitle ?? DEFAULT_THREAD_TITLE,
    assistants: assistants.map((entry, index) => within(`assistants[${index}]`, () => parseThreadAssistant(entry))),
    created,
    updated: updatedRaw === undefined ? created : toMillis(updatedRaw),
    metadata,
  });
}

/** The thread as written: Jan 0.4/0.5 fields plus the 0.6 names, engine always filled. */
export function toStoredThread(thread: Thread): Thread {
  return compact({
    ...thread,
    object: 'thread',
    assistants: thread.assistants.map((assistant) =>
      compact({
        ...assistant,
        id: assistant.assistant_id,
        name: assistant.assistant_name,
        model: { ...assistant.model, engine: assistant.model.engine || DEFAULT_ENGINE },
      }),
    ),
  });
}
