import { afterEach, describe, expect, it } from 'vitest';
import { JanApiError, textOf, ON_THIS_MACHINE, type ApiCaller, type JanEngine } from '@jan/core';
import type { JanRuntime } from '../../../src/node/runtime';
import { toModelOption } from '../../../src/vscode/chat/views';
import { ScriptedEngine } from '../../support/scripted-engine';
import { tempRuntime, type TempRuntime } from '../../support/temp-runtime';

const DEMO: ApiCaller = { id: 'acme.demo', displayName: 'Acme Demo', kind: 'extension' };
let fixture: TempRuntime | undefined;

afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

async function runtime(threadAccess?: (caller: ApiCaller) => Promise<boolean>): Promise<JanRuntime> {
  fixture = await tempRuntime(threadAccess ? { threadAccess } : {});
  return fixture.runtime;
}

/** A third party's engine: the short model shape, nothing but what JanEngine asks for. */
function demoEngine(): JanEngine & { engine: ScriptedEngine } {
  const engine = new ScriptedEngine({ id: 'demo', models: ['demo-1'] });
  return {
    engine,
    id: 'demo',
    displayName: 'Demo Engine',
    runsOn: ON_THIS_MACHINE,
    list: async () => [{ id: 'demo-1', name: 'Demo One' }],
    load: () => engine.load(),
    unload: () => engine.unload(),
    status: () => engine.status(),
    chat: (request, signal) => engine.chat(request, signal),
    complete: (request, signal) => engine.complete(request, signal),
  };
}

describe('the public API (JanApi) over the runtime', () => {
  it('registers an engine whose models every caller lists, labelled with who registered it, until disposed', async () => {
    const jan = await runtime();
    const api = jan.api(DEMO);
    const registration = api.registerEngine(demoEngine());
    const models = await jan.api({ id: 'other', displayName: 'Other', kind: 'program' }).listModels();
    expect(models).toContainEqual({
      id: 'demo-1',
      name: 'Demo One',
      engine: 'demo',
      engineName: 'Demo Engine (Acme Demo)',
      runsOn: { kind: 'local' },
      registeredBy: 'Acme Demo',
    });
    expect(jan.engines.get('demo')).toMatchObject({
      displayName: 'Demo Engine (Acme Demo)',
      registeredBy: 'Acme Demo',
    });
    expect(jan.engines.get('llamacpp')?.registeredBy).toBeUndefined();
    // The chat's model picker gets whose engine it is.
    expect(toModelOption({ id: 'demo-1', name: 'Demo One' }, jan.engines.get('demo')!)).toMatchObject({
      registeredBy: 'Acme Demo',
    });
    registration.dispose();
    expect((await api.listModels()).some((model) => model.id === 'demo-1')).toBe(false);
  });

  it('refuses an engine without runsOn, naming the field, and an id another caller holds', async () => {
    const jan = await runtime();
    const api = jan.api(DEMO);
    const { runsOn: _dropped, ...withoutRunsOn } = demoEngine();
    expect(() => api.registerEngine(withoutRunsOn as unknown as JanEngine)).toThrow(/runsOn/);
    expect(() => api.registerEngine({ ...demoEngine(), id: 'llamacpp' })).toThrow(JanApiError);
    expect(() => api.registerEngine({ ...demoEngine(), id: 'llamacpp' })).toThrow(/already registered by Jan/);
  });

  it('runs chat and completion through the one inference path and counts the use per caller', async () => {
    const jan = await runtime();
    const api = jan.api(DEMO);
    const demo = demoEngine();
    api.registerEngine(demo);
    demo.engine.reply = 'two words';
    const heard: string[] = [];
    const result = await api.chat(
      { model: 'demo-1', messages: [{ role: 'user', content: 'Hi' }] },
      { onText: (text) => heard.push(text) },
    );
    expect(result).toMatchObject({ model: 'demo-1', text: 'two words', finish_reason: 'stop' });
    expect(heard.join('')).toBe('two words');
    expect(demo.engine.requests).toHaveLength(1);
    demo.engine.completion = 'x + 1';
    expect((await api.complete({ model: 'demo-1', prefix: 'return ' })).text).toBe('x + 1');
    await expect(api.chat({ model: 'demo-1', messages: 'Hi' } as never)).rejects.toThrow(/messages/);
    const seen = jan.core.context.activity.all().find((entry) => entry.caller.id === DEMO.id);
    expect(seen?.uses).toEqual({ chat: 1, completion: 1 });
    expect(seen?.registrations).toEqual([{ kind: 'engine', id: 'demo', label: 'Demo Engine' }]);
  });

  it('adds a tool to the registry the agent uses, owned by the caller, whose bad results reach the model as errors', async () => {
    const jan = await runtime();
    const api = jan.api(DEMO);
    const registration = api.registerTool({
      definition: { name: 'acme_lookup', description: 'Looks a ticket up', parameters: { type: 'object' } },
      effect: 'read',
      source: 'jan',
      invoke: async () => 42 as never,
    });
    const tool = jan.tools.get('acme_lookup');
    expect(tool?.source).toBe('acme.demo');
    const result = await tool!.invoke({}, { signal: new AbortController().signal } as never);
    expect(result.isError).toBe(true);
    registration.dispose();
    expect(jan.tools.get('acme_lookup')).toBeUndefined();
  });

  it('lists, creates, appends to and reads threads through the conversation service', async () => {
    const jan = await runtime();
    const api = jan.api(DEMO);
    api.registerEngine(demoEngine());
    const updated: string[] = [];
    api.on('OnThreadUpdated', (thread) => updated.push(thread.id));
    const thread = await api.threads.create({ title: 'Imported', model: 'demo-1' });
    await api.threads.append(thread.id, { role: 'user', text: 'Question' });
    await api.threads.append(thread.id, { role: 'assistant', text: 'Answer' });
    const read = await api.threads.read(thread.id);
    expect(read.thread.title).toBe('Imported');
    expect(read.messages.map((message) => [message.role, textOf(message)])).toEqual([
      ['user', 'Question'],
      ['assistant', 'Answer'],
    ]);
    expect((await api.threads.list()).map((listed) => listed.id)).toContain(thread.id);
    const turn = await api.threads.send(thread.id, 'Next');
    expect(turn.reply.status).toBe('ready');
    expect(updated).toContain(thread.id);
    await expect(api.threads.read('../escape')).rejects.toThrow(JanApiError);
  });

  it('asks before a caller reads threads, and refuses when the user declined', async () => {
    const asked: string[] = [];
    const jan = await runtime(async (caller) => {
      asked.push(caller.id);
      return false;
    });
    const api = jan.api(DEMO);
    await expect(api.threads.list()).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    expect(asked).toEqual(['acme.demo']);
    expect(jan.core.context.activity.all().find((entry) => entry.caller.id === DEMO.id)?.uses).toEqual({
      'threads.refused': 1,
    });
  });
});
