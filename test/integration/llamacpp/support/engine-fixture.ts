import * as path from 'node:path';
import { EventBus, MemoryLogger } from '@jan/core';
import type { CoreEvents, EventName, Model, ResolvedModel } from '@jan/core';
import { LlamaCppEngine } from '../../../../extensions/llamacpp/engine';
import type { LlamaCppEngineOptions } from '../../../../extensions/llamacpp/engine';
import type { LlamaCppSettings } from '../../../../extensions/llamacpp/settings';
import { bundleEntry } from '../../../support/bundle-entry';
import { TEST_MODELS_FOLDER } from '../../../support/test-models';

export const modelsFolder = TEST_MODELS_FOLDER;
export const CHAT_FIM_MODEL = 'stories260K-chatml-fim';
export const PLAIN_MODEL = 'stories260K';
export const CRASHING_MODEL = 'TinyStories-656K-Q8_0';

let workerBundle: Promise<string> | undefined;

/** The engine worker, bundled once per test file the way esbuild.mjs bundles it for the extension. */
export function workerPath(): Promise<string> {
  workerBundle ??= bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker');
  return workerBundle;
}

export function testModel(id: string, filePath = path.join(modelsFolder, `${id}.gguf`)): ResolvedModel {
  const model: Model = {
    object: 'model',
    version: '1.0',
    format: 'gguf',
    sources: [{ filename: path.basename(filePath), url: filePath }],
    id,
    name: id,
    created: 0,
    description: '',
    settings: { ctx_len: 512 },
    parameters: {},
    metadata: {},
    engine: 'llamacpp',
  };
  return { model, filePath };
}

export interface EngineFixture {
  engine: LlamaCppEngine;
  settings: LlamaCppSettings;
  events: Array<{ name: EventName; payload: unknown }>;
  logger: MemoryLogger;
  /** Adds (or replaces) a model the engine can resolve. */
  addModel(resolved: ResolvedModel): void;
  /**
   * Resolves with the next `name` event; rejects, naming the events that did come, when none
   * came within `withinMs` (a bound for a broken engine, not a measure of speed).
   */
  nextEvent(name: EventName, withinMs?: number): Promise<unknown>;
}

/** An engine over the test models, one thread (these models are tiny), no idle unload. */
export async function createEngine(
  overrides: Partial<LlamaCppSettings> = {},
  options: Pick<LlamaCppEngineOptions, 'stateFolder' | 'stateBytesLimit' | 'backendsFolder'> = {},
): Promise<EngineFixture> {
  const logger = new MemoryLogger();
  const bus = new EventBus(logger);
  const events: EngineFixture['events'] = [];
  const names: EventName[] = ['OnModelLoading', 'OnModelReady', 'OnModelStopped', 'OnModelFail', 'OnEngineCrashed'];
  for (const name of names) bus.on(name, (payload: CoreEvents[typeof name]) => void events.push({ name, payload }));
  const models = new Map<string, ResolvedModel>();
  for (const id of [CHAT_FIM_MODEL, PLAIN_MODEL, CRASHING_MODEL]) models.set(id, testModel(id));
  const settings: LlamaCppSettings = {
    threads: 1,
    gpu: 'cpu',
    contextSize: 512,
    completionContextSize: 512,
    idleUnloadMinutes: 0,
    transport: 'process',
    promptLookup: 'auto',
    ...overrides,
  };
  const engine = new LlamaCppEngine({
    resolveModel: async (id) => models.get(id),
    listModels: async () => [...models.values()].map((resolved) => resolved.model),
    settings: () => settings,
    workerPath: await workerPath(),
    events: bus,
    logger,
    ...options,
  });
  const nextEvent = (name: EventName, withinMs = 60_000) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(
          new Error(
            `No ${name} within ${withinMs / 1000} s; events so far: ${events.map((event) => event.name).join(', ') || 'none'}`,
          ),
        );
      }, withinMs);
      const subscription = bus.on(name, (payload: unknown) => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(payload);
      });
    });
  return {
    engine,
    settings,
    events,
    logger,
    addModel: (resolved) => models.set(resolved.model.id, resolved),
    nextEvent,
  };
}
