import type { Assistant, AssistantTool } from '@jan/core';
import { ANY_MODEL, ShapeError, compact, expectRecord, isArray, isFiniteNumber, isRecord, isString, optionalField, toMillis, within } from '@jan/core';

export const DEFAULT_ASSISTANT_ID = 'jan';

const aString = [isString, 'a string'] as const;
const anArray = [isArray, 'an array'] as const;

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
    name: 'Jan',
    description: 'A default assistant that can use all downloaded models',
    model: ANY_MODEL,
    instructions: '',
    tools: [{ type: 'retrieval', enabled: false, settings: { top_k: 2, chunk_size: 1024, chunk_overlap: 64 } }],
    file_ids: [],
  };
}

function parseTool(value: unknown): AssistantTool {
  const record = expectRecord(value, 'the tool');
  const type = optionalField(record, 'type', ...aString);
  if (!type) throw new ShapeError('"type" is missing');
  const enabled = record.enabled;
  return compact({
    ...record,
    type,
    enabled: enabled === true,
    settings: optionalField(record, 'settings', isRecord, 'an object'),
  });
}

/** An assistant.json as Jan writes it, defaults filled in memory; the folder name is the id. */
export function parseAssistant(value: unknown, folderId: string): Assistant {
  const record = expectRecord(value, 'assistant.json');
  const tools = optionalField(record, 'tools', ...anArray) ?? [];
  const fileIds = optionalField(record, 'file_ids', ...anArray) ?? [];
  const createdAt = optionalField(record, 'created_at', isFiniteNumber, 'a number');
  return compact({
    ...record,
    id: folderId,
    object: 'assistant',
    avatar: optionalField(record, 'avatar', ...aString),
    name: optionalField(record, 'name', ...aString) ?? folderId,
    description: optionalField(record, 'description', ...aString) ?? '',
    model: optionalField(record, 'model', ...aString) ?? ANY_MODEL,
    instructions: optionalField(record, 'instructions', ...aString) ?? '',
    tools: tools.map((tool, index) => within(`tools[${index}]`, () => parseTool(tool))),
    file_ids: fileIds.filter(isString),
    created_at: createdAt === undefined ? 0 : toMillis(createdAt),
    metadata: optionalField(record, 'metadata', isRecord, 'an object'),
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
