import type { Thread, ThreadAssistantInfo, ThreadModelInfo } from '@jan/core';
import {
  ANY_MODEL,
  DEFAULT_ASSISTANT_ID,
  DEFAULT_ASSISTANT_NAME,
  DEFAULT_ENGINE,
  DEFAULT_THREAD_TITLE,
  applyChanges,
  compact,
  expectRecord,
  inUnitOf,
  isArray,
  isRecord,
  isString,
  optionalField,
  ownField,
  toMillis,
  within,
  A_NUMBER,
  A_STRING,
  AN_ARRAY,
  AN_OBJECT,
} from '@jan/core';

function parseModelInfo(value: Record<string, unknown>): ThreadModelInfo {
  return compact(value, {
    id: optionalField(value, 'id', A_STRING) ?? ANY_MODEL,
    settings: optionalField(value, 'settings', AN_OBJECT) ?? {},
    parameters: optionalField(value, 'parameters', AN_OBJECT) ?? {},
    // Always written: Jan lost threads when `model.engine` went missing.
    engine: optionalField(value, 'engine', A_STRING) || DEFAULT_ENGINE,
  });
}

function parseThreadAssistant(value: unknown): ThreadAssistantInfo {
  const record = expectRecord(value, 'the entry');
  const assistantId =
    optionalField(record, 'assistant_id', A_STRING) ?? optionalField(record, 'id', A_STRING) ?? DEFAULT_ASSISTANT_ID;
  const assistantName =
    optionalField(record, 'assistant_name', A_STRING) ??
    optionalField(record, 'name', A_STRING) ??
    DEFAULT_ASSISTANT_NAME;
  return compact(record, {
    assistant_id: assistantId,
    assistant_name: assistantName,
    id: assistantId,
    name: assistantName,
    model: within('model', () => parseModelInfo(optionalField(record, 'model', AN_OBJECT) ?? {})),
    instructions: optionalField(record, 'instructions', A_STRING),
  });
}

/**
 * A thread.json as any Jan version wrote it, normalized in memory (never written back on read):
 * missing fields defaulted, seconds turned into ms, 0.6 names (`assistants[].id/name`) filled,
 * `model.engine` always set. The folder name is the id, as in Jan. Unknown fields are kept.
 */
export function parseThread(value: unknown, folderId: string): Thread {
  const record = expectRecord(value, 'thread.json');
  const metadata = optionalField(record, 'metadata', AN_OBJECT);
  const assistants = optionalField(record, 'assistants', AN_ARRAY) ?? [];
  const createdRaw = optionalField(record, 'created', A_NUMBER) ?? optionalField(record, 'created_at', A_NUMBER);
  const updatedRaw = optionalField(record, 'updated', A_NUMBER) ?? optionalField(record, 'updated_at', A_NUMBER);
  const created = toMillis(createdRaw ?? updatedRaw ?? 0);
  const metadataTitle = metadata && isString(metadata.title) ? metadata.title : undefined;
  return compact(record, {
    id: folderId,
    object: 'thread',
    title: optionalField(record, 'title', A_STRING) ?? metadataTitle ?? DEFAULT_THREAD_TITLE,
    assistants: assistants.map((entry, index) => within(`assistants[${index}]`, () => parseThreadAssistant(entry))),
    created,
    updated: updatedRaw === undefined ? created : toMillis(updatedRaw),
    metadata,
  });
}

/** The thread as written: Jan 0.4/0.5 fields plus the 0.6 names, engine always filled. */
export function toStoredThread(thread: Thread): Thread {
  return compact(thread, {
    object: 'thread',
    assistants: thread.assistants.map((assistant) =>
      compact(assistant, {
        id: assistant.assistant_id,
        name: assistant.assistant_name,
        model: compact(assistant.model, { engine: assistant.model.engine || DEFAULT_ENGINE }),
      }),
    ),
  });
}

/**
 * thread.json for `after`, an edit of `before` (the thread read from `raw`): `raw` with only the
 * fields that differ changed (src/core/store/record.ts). The one addition: an assistant's model
 * without an engine gets one, because Jan loses a thread whose `model.engine` is missing.
 */
export function rewriteThreadFile(
  raw: Record<string, unknown>,
  before: Thread,
  after: Thread,
): Record<string, unknown> {
  // A time is written in the unit the file uses (Jan 0.6 and old versions wrote seconds).
  const times = {
    created: inUnitOf(ownField(raw, 'created'), after.created),
    updated: inUnitOf(ownField(raw, 'updated'), after.updated),
  };
  const beforeTimes = {
    created: inUnitOf(ownField(raw, 'created'), before.created),
    updated: inUnitOf(ownField(raw, 'updated'), before.updated),
  };
  const next = applyChanges(raw, compact(before, beforeTimes), compact(toStoredThread(after), times)) as Record<
    string,
    unknown
  >;
  const assistants = ownField(next, 'assistants');
  if (!isArray(assistants)) return next;
  return compact(next, {
    assistants: assistants.map((entry) => {
      const model = isRecord(entry) ? ownField(entry, 'model') : undefined;
      if (!isRecord(model) || isString(ownField(model, 'engine'))) return entry;
      return compact(entry as Record<string, unknown>, { model: compact(model, { engine: DEFAULT_ENGINE }) });
    }),
  });
}
