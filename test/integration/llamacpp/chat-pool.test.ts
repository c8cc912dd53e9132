import { copyFileSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@jan/core';
import { MAX_CHAT_SEQUENCES } from '../../../extensions/llamacpp/worker/model-plan';
import { collect } from './support/collect';
import { CHAT_FIM_MODEL, createEngine, modelsFolder, testModel } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';

const SYSTEM: ChatMessage = { role: 'system', content: 'You tell short stories for children.' };
/** More threads than the pool can ever hold, so the first one is always evicted. */
const THREADS = MAX_CHAT_SEQUENCES + 2;

interface Thread {
  key: string;
  messages: ChatMessage[];
  /** Prompt tokens of the thread's last turn. */
  lastPrompt: number;
}

async function turn(fixture: EngineFixture, thread: Thread, question: string) {
  thread.messages.push({ role: 'user', content: question });
  const { text, final } = await collect(
    fixture.engine.chat({
      model: CHAT_FIM_MODEL,
      messages: thread.messages,
      max_tokens: 12,
      temperature: 0,
      session_key: thread.key,
    }),
  );
  thread.messages.push({ role: 'assistant', content: text });
  const usage = final!.usage!;
  const previousPrompt = thread.lastPrompt;
  thread.lastPrompt = usage.prompt_tokens;
  return {
    previousPrompt,
    prompt: usage.prompt_tokens,
    cached: usage.prompt_tokens_details!.cached_tokens!,
    evaluated: usage.prompt_tokens - usage.prompt_tokens_details!.cached_tokens!,
  };
}

/** A conversation of three turns in each of `count` threads, one thread after the other. */
async function threads(fixture: EngineFixture, count: number): Promise<Thread[]> {
  const made = Array.from({ length: count }, (_, index) => ({
    key: `thread-${index}`,
    messages: [SYSTEM],
    lastPrompt: 0,
  }));
  for (const thread of made)
    for (let index = 0; index < 3; index++)
      await turn(fixture, thread, `Thread ${thread.key}, part ${index}: what did the fox see?`);
  return made;
}

const stateFiles = (folder: string) =>
  readdirSync(path.join(folder, CHAT_FIM_MODEL)).filter((name) => name.endsWith('.state'));

describe('llama.cpp engine: a KV sequence per thread', () => {
  const folders: string[] = [];
  let fixture: EngineFixture | undefined;
  const stateFolder = () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'jan-kv-state-'));
    folders.push(folder);
    return folder;
  };
  beforeEach(() => {
    fixture = undefined;
  });
  afterEach(async () => {
    await fixture?.engine.dispose();
  });
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('a turn after a turn in another thread evaluates only its new tokens', async () => {
    fixture = await createEngine();
    const [a, b] = await threads(fixture, 2);
    const before = await turn(fixture, b!, 'And then?');
    const after = await turn(fixture, a!, 'And then?');
    // Each thread's sequence still holds all of its previous prompt: only its last reply and new question are evaluated.
    expect(before.cached).toBeGreaterThanOrEqual(before.previousPrompt);
    expect(after.cached).toBeGreaterThanOrEqual(after.previousPrompt);
    expect(after.evaluated).toBeLessThanOrEqual(after.prompt - after.previousPrompt);
  });

  it('restores an evicted thread from its saved state instead of evaluating it again', async () => {
    const folder = stateFolder();
    fixture = await createEngine({}, { stateFolder: folder });
    const made = await threads(fixture, THREADS);
    // Every thread but the last few was evicted and saved.
    expect(stateFiles(folder).length).toBeGreaterThanOrEqual(THREADS - MAX_CHAT_SEQUENCES);
    const saved = stateFiles(folder).length;
    const restored = await turn(fixture, made[0]!, 'And then?');
    expect(restored.cached).toBeGreaterThanOrEqual(restored.previousPrompt);
    expect(restored.evaluated).toBeLessThanOrEqual(restored.prompt - restored.previousPrompt);
    // The restored state was taken out of the folder (the thread's sequence holds it now), and another thread was saved.
    expect(stateFiles(folder).length).toBe(saved);
  });

  it('without a folder for saved states, an evicted thread is evaluated again (all but the shared system prompt)', async () => {
    fixture = await createEngine();
    const made = await threads(fixture, THREADS);
    const again = await turn(fixture, made[0]!, 'And then?');
    expect(again.evaluated).toBeGreaterThan(again.prompt / 2);
  });

  it('keeps the saved states under the size cap', async () => {
    const folder = stateFolder();
    fixture = await createEngine({}, { stateFolder: folder, stateBytesLimit: 1 });
    const made = await threads(fixture, THREADS);
    expect(stateFiles(folder)).toEqual([]);
    const again = await turn(fixture, made[0]!, 'And then?');
    expect(again.evaluated).toBeGreaterThan(again.prompt / 2);
  });

  it('drops the saved states when the model file changes', async () => {
    const folder = stateFolder();
    const copy = path.join(stateFolder(), `${CHAT_FIM_MODEL}.gguf`);
    copyFileSync(path.join(modelsFolder, `${CHAT_FIM_MODEL}.gguf`), copy);
    fixture = await createEngine({}, { stateFolder: folder });
    fixture.addModel(testModel(CHAT_FIM_MODEL, copy));
    const made = await threads(fixture, THREADS);
    expect(stateFiles(folder).length).toBeGreaterThan(0);
    await fixture.engine.unload();
    // The same path, rewritten: the states were evaluated with the old file.
    utimesSync(copy, new Date(), new Date(Date.now() + 60_000));
    await fixture.engine.load(CHAT_FIM_MODEL);
    // The chat sequences (and their store of states) are made by the first turn, which finds the folder stale.
    const again = await turn(fixture, made[0]!, 'And then?');
    expect(stateFiles(folder)).toEqual([]);
    expect(again.evaluated).toBeGreaterThan(again.prompt / 2);
  });

  it('saves every pooled thread when the worker stops: its next turn after a restart is a restore', async () => {
    const folder = stateFolder();
    fixture = await createEngine({}, { stateFolder: folder });
    const [a, b] = await threads(fixture, 2);
    // Both threads are still in the pool (nothing was evicted, nothing saved yet).
    expect(stateFiles(folder)).toEqual([]);
    await fixture.engine.dispose();
    expect(stateFiles(folder)).toHaveLength(2);
    fixture = await createEngine({}, { stateFolder: folder });
    for (const thread of [a!, b!]) {
      const next = await turn(fixture, thread, 'And then?');
      expect(next.cached).toBeGreaterThanOrEqual(next.previousPrompt);
      expect(next.evaluated).toBeLessThanOrEqual(next.prompt - next.previousPrompt);
    }
  });

  it('saves the threads when the model unloads (a model switch, Unload Model)', async () => {
    const folder = stateFolder();
    fixture = await createEngine({}, { stateFolder: folder });
    const [a] = await threads(fixture, 1);
    await fixture.engine.unload(CHAT_FIM_MODEL);
    expect(stateFiles(folder)).toHaveLength(1);
    const next = await turn(fixture, a!, 'And then?');
    expect(next.evaluated).toBeLessThanOrEqual(next.prompt - next.previousPrompt);
  });

  it('saves the threads when the worker stops after the idle time', async () => {
    const folder = stateFolder();
    fixture = await createEngine({ idleUnloadMinutes: 0.005 }, { stateFolder: folder });
    const [a] = await threads(fixture, 1);
    const stopped = fixture.nextEvent('OnModelStopped');
    await stopped;
    expect(fixture.engine.status().state).toBe('idle');
    expect(stateFiles(folder)).toHaveLength(1);
    const next = await turn(fixture, a!, 'And then?');
    expect(next.evaluated).toBeLessThanOrEqual(next.prompt - next.previousPrompt);
  }, 180_000);
});
