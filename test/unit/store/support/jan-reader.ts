/**
 * Reads a `.jan` folder the way the Jan desktop app (0.5, file-based) does, and checks the
 * fields it relies on. Jan parses thread.json with JSON.parse, splits messages.jsonl on "\n"
 * and JSON.parses every non-empty line (one bad line and Jan drops the whole thread's
 * messages), and sorts threads by `updated`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';

type Json = Record<string, unknown>;

export function janReadsThreads(jan: string): Json[] {
  const dir = path.join(jan, 'threads');
  const threads: Json[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name, 'thread.json');
    if (!existsSync(file)) continue;
    threads.push(JSON.parse(readFileSync(file, 'utf8')) as Json);
  }
  return threads.sort((a, b) => (b.updated as number) - (a.updated as number));
}

export function janReadsMessages(jan: string, threadId: string): Json[] {
  const text = readFileSync(path.join(jan, 'threads', threadId, 'messages.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
}

export function janReadsAssistant(jan: string, id: string): Json {
  return JSON.parse(readFileSync(path.join(jan, 'assistants', id, 'assistant.json'), 'utf8')) as Json;
}

const isMillis = (value: unknown) => typeof value === 'number' && value > 1e12;
const isSeconds = (value: unknown) => typeof value === 'number' && value > 1e9 && value < 1e11;

/** Jan 0.4/0.5 thread.json fields, plus the 0.6 names we promise to write (`ours`: we wrote the file). */
export function expectJanThread(thread: Json, ours = true): void {
  expect(typeof thread.id).toBe('string');
  expect(thread.object).toBe('thread');
  expect(typeof thread.title).toBe('string');
  // Older Jan versions wrote seconds; a file we only edited keeps its `created` as it was.
  expect(isMillis(thread.created) || (!ours && isSeconds(thread.created))).toBe(true);
  expect(isMillis(thread.updated)).toBe(true);
  expect(Array.isArray(thread.assistants)).toBe(true);
  for (const assistant of thread.assistants as Json[]) {
    expect(typeof assistant.assistant_id).toBe('string');
    expect(typeof assistant.assistant_name).toBe('string');
    const model = assistant.model as Json;
    expect(typeof model.id).toBe('string');
    expect(typeof model.settings).toBe('object');
    expect(typeof model.parameters).toBe('object');
    if (!ours) continue;
    expect(assistant.id).toBe(assistant.assistant_id);
    expect(assistant.name).toBe(assistant.assistant_name);
    expect(typeof model.engine).toBe('string');
    expect((model.engine as string).length).toBeGreaterThan(0);
  }
}

/** Jan 0.4/0.5 message fields (ms) plus 0.6 created_at/completed_at (s) on the lines we wrote. */
export function expectJanMessage(message: Json, threadId: string, ours = true): void {
  expect(typeof message.id).toBe('string');
  expect(message.object).toBe('thread.message');
  expect(message.thread_id).toBe(threadId);
  expect(['system', 'user', 'assistant']).toContain(message.role);
  expect(['ready', 'pending', 'error', 'stopped']).toContain(message.status);
  expect(isMillis(message.created)).toBe(true);
  expect(isMillis(message.updated)).toBe(true);
  expect(Array.isArray(message.content)).toBe(true);
  for (const part of message.content as Json[]) {
    expect(part.type).toBe('text');
    const text = part.text as Json;
    expect(typeof text.value).toBe('string');
    expect(Array.isArray(text.annotations)).toBe(true);
  }
  if (!ours) return;
  expect(isSeconds(message.created_at)).toBe(true);
  expect(isSeconds(message.completed_at)).toBe(true);
}

export function expectJanAssistant(assistant: Json, id: string): void {
  expect(assistant.id).toBe(id);
  expect(assistant.object).toBe('assistant');
  expect(typeof assistant.name).toBe('string');
  expect(typeof assistant.description).toBe('string');
  expect(typeof assistant.model).toBe('string');
  expect(typeof assistant.instructions).toBe('string');
  expect(Array.isArray(assistant.tools)).toBe(true);
  // Jan 0.5 reads tools[0].settings when it starts a thread with this assistant.
  expect(typeof (assistant.tools as Json[])[0]?.settings).toBe('object');
  expect(Array.isArray(assistant.file_ids)).toBe(true);
  expect(isMillis(assistant.created_at)).toBe(true);
}
