import { describe, expect, it } from 'vitest';
import { EngineError, EventBus, InferenceService, JanCore, MemoryLogger, ModelExtension } from '@jan/core';
import type { CoreContext, Model, ModelPage, ModelPurpose, ResolvedModel } from '@jan/core';
import { modelEntry, ScriptedEngine } from '../../support/scripted-engine';

const model = (id: string, engine = 'llamacpp'): Model => modelEntry(id, engine);

/** The installed models, counting how often they are read (each read is a folder scan on disk). */
class CountingModels extends ModelExtension {
  reads = 0;
  constructor(
    context: CoreContext,
    public models: Model[],
  ) {
    super('models', context);
  }
  async listModels(): Promise<ModelPage> {
    this.reads += 1;
    return { models: [...this.models], warnings: [] };
  }
  async getModel(id: string): Promise<Model | undefined> {
    this.reads += 1;
    return this.models.find((candidate) => candidate.id === id);
  }
  modelFilePath(): string {
    return '';
  }
  async resolveModel(): Promise<ResolvedModel | undefined> {
    return undefined;
  }
  async deleteModel(): Promise<void> {}
  onLoad(): void {}
}

function setup(installed: Model[] = [model('local-chat'), model('remote-pinned', 'remote')]) {
  const logger = new MemoryLogger();
  const context: CoreContext = new JanCore({ janFolder: '', modelsFolder: '', logger }).context;
  const { engines } = context;
  // A bus of the test's own: the core's announces the registrations below a microtask later.
  const events = new EventBus(logger);
  const models = new CountingModels(context, installed);
  const local = new ScriptedEngine({ id: 'llamacpp' });
  const remote = new ScriptedEngine({ id: 'remote', models: ['served-1'] });
  engines.register(local);
  engines.register(remote);
  const chosen: Partial<Record<ModelPurpose, string>> = { chat: 'local-chat' };
  const inference = new InferenceService({
    engines,
    events,
    logger,
    models: () => models,
    chosenModelId: (purpose) => chosen[purpose],
  });
  return { inference, models, local, remote, events, chosen, logger };
}

describe('InferenceService', () => {
  it('finds the engine of a model: its model.json, the engine that lists it, else llama.cpp', async () => {
    const { inference } = setup();
    expect(await inference.choiceFor('local-chat')).toEqual({ id: 'local-chat', engine: 'llamacpp' });
    expect(await inference.choiceFor('remote-pinned')).toEqual({ id: 'remote-pinned', engine: 'remote' });
    expect(await inference.choiceFor('served-1')).toEqual({ id: 'served-1', engine: 'remote' });
    expect(await inference.choiceFor('unknown')).toEqual({ id: 'unknown', engine: 'llamacpp' });
  });

  it('gives the chosen model per purpose, and one clear error when none is chosen', async () => {
    const { inference, chosen } = setup();
    expect(await inference.chosen('chat')).toEqual({ id: 'local-chat', engine: 'llamacpp' });
    expect(await inference.chosen('completion')).toBeUndefined();
    chosen.completion = '  *  ';
    expect(inference.chosenId('completion')).toBeUndefined();
    await expect(inference.require('completion')).rejects.toMatchObject({
      code: 'NO_MODEL',
      message: expect.stringContaining('Select Completion Model'),
    });
    chosen.chat = '';
    await expect(inference.require('chat')).rejects.toMatchObject({
      code: 'NO_MODEL',
      message: expect.stringContaining('Select Chat Model'),
    });
  });

  it('reads a model.json once until the models change', async () => {
    const { inference, models, events } = setup();
    for (let index = 0; index < 5; index++) await inference.chosen('chat');
    expect(models.reads).toBe(1);
    await inference.listModels();
    await inference.listModels();
    expect(models.reads).toBe(2);
    models.models = [model('local-chat', 'remote')];
    events.emit('OnModelsChanged', models.models);
    expect(await inference.chosen('chat')).toEqual({ id: 'local-chat', engine: 'remote' });
    expect(models.reads).toBe(3);
  });

  it('lists installed models first, then what engines list, each id once', async () => {
    const { inference } = setup([model('a'), model('served-1', 'llamacpp')]);
    expect((await inference.listModels()).map((entry) => [entry.id, entry.engine])).toEqual([
      ['a', 'llamacpp'],
      ['served-1', 'llamacpp'],
    ]);
  });

  it('keeps listing when an engine cannot list its models, and says so', async () => {
    const { inference, remote, logger } = setup();
    remote.list = async () => Promise.reject(new Error('connection refused'));
    expect((await inference.listModels()).map((entry) => entry.id)).toEqual(['local-chat', 'remote-pinned']);
    expect(logger.messages('warn')).toContainEqual(expect.stringContaining('connection refused'));
  });

  it('loads the model on its engine before running it', async () => {
    const { inference, local, remote } = setup();
    const chunks: string[] = [];
    for await (const chunk of inference.chat(
      { id: 'local-chat', engine: 'llamacpp' },
      { messages: [{ role: 'user', content: 'hi' }] },
    )) {
      chunks.push(chunk.choices[0]!.delta.content ?? '');
    }
    expect(chunks.join('')).toBe('ok');
    expect(local.loads).toBe(1);
    expect(local.requests[0]!.model).toBe('local-chat');
    expect(remote.loads).toBe(0);
  });

  it('names the engine that is missing', async () => {
    const { inference } = setup();
    expect(() => inference.engine({ id: 'm', engine: 'gone' })).toThrow(EngineError);
    await expect(inference.complete({ id: 'm', engine: 'gone' }, { prefix: '', suffix: '' })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: 'No engine "gone" is available for model m.',
    });
  });
});
