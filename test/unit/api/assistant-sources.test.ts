import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCaller } from '@jan/core';
import type { JanRuntime } from '../../../src/node/runtime';
import { ScriptedEngine } from '../../support/scripted-engine';
import { tempRuntime, type TempRuntime } from '../../support/temp-runtime';

const TEAM: ApiCaller = { id: 'acme.prompts', displayName: 'Acme Prompts', kind: 'extension' };
let fixture: TempRuntime | undefined;

afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

/** A restricted workspace's runtime. */
async function runtime(): Promise<JanRuntime> {
  fixture = await tempRuntime({ isTrusted: () => false });
  return fixture.runtime;
}

describe('assistants another extension offers (registerAssistantSource)', () => {
  it('are listed under its name, used by a thread, and gone when disposed', async () => {
    const jan = await runtime();
    const engine = new ScriptedEngine({ id: 'scripted', models: ['chat-1'] });
    jan.engines.register(engine);
    /** The next announcement of the assistants whose ids pass `test` (the list is announced after a change). */
    const announced = (test: (ids: string[]) => boolean) =>
      new Promise<void>((resolve) => {
        const listening = jan.core.events.on('OnAssistantsChanged', (assistants) => {
          if (!test(assistants.map((item) => item.id))) return;
          listening.dispose();
          resolve();
        });
      });
    const added = announced((ids) => ids.includes('reviewer'));
    const api = jan.api(TEAM);
    const registration = api.registerAssistantSource({
      id: 'acme.prompts',
      label: 'Acme Prompts',
      list: async () => [{ id: 'reviewer', name: 'Reviewer', instructions: 'Review code like Acme does.' }],
    });
    const { entries } = await jan.assistants.listScoped();
    // A restricted workspace: the extension is the user's choice, so its assistant is usable.
    expect(entries.find((entry) => entry.assistant.id === 'reviewer')).toMatchObject({
      offeredBy: 'Acme Prompts',
      assistant: { name: 'Reviewer', instructions: 'Review code like Acme does.' },
    });
    await added;
    const thread = await api.threads.create({ assistantId: 'reviewer', model: 'chat-1' });
    await api.threads.send(thread.id, 'Look at this');
    expect(JSON.stringify(engine.requests.at(-1)?.messages)).toContain('Review code like Acme does.');
    const removed = announced((ids) => !ids.includes('reviewer'));
    registration.dispose();
    await removed;
    expect((await jan.assistants.listAssistants()).assistants.map((item) => item.id)).not.toContain('reviewer');
  });

  it('cost only their own entries when the source fails', async () => {
    const jan = await runtime();
    jan.api(TEAM).registerAssistantSource({ id: 'acme.broken', label: 'Broken', list: async () => 'nope' as never });
    const { assistants } = await jan.assistants.listAssistants();
    expect(assistants.map((item) => item.id)).toEqual(['jan']);
  });
});
