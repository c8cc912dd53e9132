import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { textOf, type JanEngine } from '@jan/core';
import { tempRuntime, type TempRuntime } from '../../support/temp-runtime';

const example = createRequire(import.meta.url)('../../../examples/demo-engine-extension/demo-engine.js') as {
  createDemoEngine(): JanEngine;
};
let fixture: TempRuntime | undefined;

afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

/** examples/demo-engine-extension registers its engine as written, through the API another extension gets. */
describe('the demo engine example', () => {
  it('is listed under its extension and answers a chat turn through the conversation service', async () => {
    fixture = await tempRuntime();
    const api = fixture.runtime.api({
      id: 'jan-examples.jan-demo-engine',
      displayName: 'Jan Demo Engine',
      kind: 'extension',
    });
    api.registerEngine(example.createDemoEngine());
    expect(await api.listModels()).toContainEqual(
      expect.objectContaining({
        id: 'demo-echo',
        engineName: 'Demo Engine (Jan Demo Engine)',
        runsOn: { kind: 'local' },
      }),
    );
    const thread = await api.threads.create({ model: 'demo-echo' });
    const { reply, usage } = await api.threads.send(thread.id, 'hello there');
    expect(reply.status).toBe('ready');
    expect(textOf(reply)).toBe('You said: hello there');
    expect(usage?.used).toBeGreaterThan(0);
  });
});
