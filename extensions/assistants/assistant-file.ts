import type { Assistant, AssistantTool } from '@jan/core';
import {
  ANY_MODEL,
  DEFAULT_ASSISTANT_ID,
  DEFAULT_ASSISTANT_NAME,
  ShapeError,
  compact,
  expectRecord,
  isString,
  optionalField,
  toMillis,
  within,
  A_NUMBER,
  A_STRING,
  AN_ARRAY,
  AN_OBJECT,
} from '@jan/core';

/**
 * Jan's default assistant. The disabled retrieval tool is there because Jan 0.5 reads
 * `assistant.tools[0].settings` when it starts a thread: an empty list would break it there.
 */
export function defaultAssistant(now = Date.now()): Assistant {
  return {
    avatar: '',
    id: DEFAULT_ASSISTANT_ID,
    object: 'assistant',
    created_at: now,
    name: DEFAULT_ASSISTANT_NAME,
    description: 'A default assistant that can use all downloaded models',
    model: ANY_MODEL,
    instructions: '',
    tools: [{ type: 'retrieval', enabled: false, settings: { top_k: 2, chunk_size: 1024, chunk_overlap: 64 } }],
    file_ids: [],
  };
}

function parseTool(value: unknown): AssistantTool {
  const record = expectRecord(value, 'the tool');
  const type = optionalField(record, 'type', A_STRING);
  if (!type) throw new ShapeError('"type" is missing');
  const enabled = record.enabled;
  return compact(record, {
    type,
    enabled: enabled === true,
    settings: optionalField(record, 'settings', AN_OBJECT),
  });
}

/** An assistant.json as Jan writes it, defaults filled in memory; the folder name is the id. */
export function parseAssistant(value: unknown, folderId: string): Assistant {
  const record = expectRecord(value, 'assistant.json');
  const tools = optionalField(record, 'tools', AN_ARRAY) ?? [];
  const fileIds = optionalField(record, 'file_ids', AN_ARRAY) ?? [];
  const createdAt = optionalField(record, 'created_at', A_NUMBER);
  return compact(record, {
    id: folderId,
    object: 'assistant',
    avatar: optionalField(record, 'avatar', A_STRING),
    name: optionalField(record, 'name', A_STRING) ?? folderId,
    description: optionalField(record, 'description', A_STRING) ?? '',
    model: optionalField(record, 'model', A_STRING) ?? ANY_MODEL,
    instructions: optionalField(record, 'instructions', A_STRING) ?? '',
    tools: tools.map((tool, index) => within(`tools[${index}]`, () => parseTool(tool))),
    file_ids: fileIds.filter(isString),
    created_at: createdAt === undefined ? 0 : toMillis(createdAt),
    metadata: optionalField(record, 'metadata', AN_OBJECT),
  });
}

/** A folder-safe id from a display name ("Code Reviewer" → "code-reviewer"). */
export function assistantIdFrom(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug || 'assistant';
}
