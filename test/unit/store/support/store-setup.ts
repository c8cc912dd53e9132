import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { rejection } from '../../../support/rejection';
import { JanCore, MemoryLogger, StoreError, textContent } from '@jan/core';
import type { CoreContext, EventName, ThreadAssistantInfo, ThreadMessage } from '@jan/core';

const made: string[] = [];

/** A fresh temp folder (under `base`); `.jan` inside it is not created (first write does that). */
export function tempWorkspace(base = tmpdir()): { root: string; jan: string } {
  const root = mkdtempSync(path.join(base, 'jan-store-'));
  made.push(root);
  return { root, jan: path.join(root, '.jan') };
}

export function removeTempWorkspaces(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

export interface TestCore {
  core: CoreContext;
  logger: MemoryLogger;
  events: Array<{ name: EventName; payload: unknown }>;
}

export function testCore(janFolder: string): TestCore {
  const logger = new MemoryLogger();
  const jan = new JanCore({ janFolder, modelsFolder: path.join(janFolder, '..', 'models'), logger });
  const events: TestCore['events'] = [];
  const names: EventName[] = ['OnThreadUpdated', 'OnThreadDeleted', 'OnAssistantsChanged'];
  for (const name of names) jan.events.on(name, (payload: unknown) => void events.push({ name, payload }));
  return { core: jan.context, logger, events };
}

export function threadAssistant(): ThreadAssistantInfo {
  return {
    assistant_id: 'jan',
    assistant_name: 'Jan',
    model: {
      id: 'qwen2.5-0.5b-instruct',
      settings: { ctx_len: 4096 },
      parameters: { temperature: 0.7 },
      engine: 'llamacpp',
    },
    instructions: '',
  };
}

export function message(
  threadId: string,
  text: string,
  role: ThreadMessage['role'] = 'user',
  id?: string,
): ThreadMessage {
  const now = Date.now();
  return {
    id: id ?? `msg_${Math.random().toString(36).slice(2, 12)}`,
    object: 'thread.message',
    thread_id: threadId,
    role,
    content: textContent(text),
    status: 'ready',
    created: now,
    updated: now,
  };
}

/** sha256 of every file under `root` (relative path → hash): proves a read changed nothing. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(root, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(root);
  return out;
}

/** The StoreError a store call failed with; fails the test when it succeeded or threw something else. */
export const storeError = (promise: Promise<unknown>): Promise<StoreError> => rejection(promise, StoreError);
