import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLogger, textOf, type JanEngine } from '@jan/core';
import { JanRuntime } from '../../../src/node/runtime';

const example = createRequire(import.meta.url)('../../../examples/demo-engine-extension/demo-engine.js') as {
  createDemoEngine(): JanEngine;
};
let root: string | undefined;
let running: JanRuntime | undefined;

afterEach(async () => {
  await running?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
  root = running = undefined;
});

/** examples/demo-engine-extension registers its engine as written, through the API another extension gets. */
describe('the demo engine example', () => {
  it('is listed under its extension and answers a chat turn through the conversation service', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'jan-demo-example-'));
    running = new JanRuntime({
      janFolder: path.join(root, '.jan'),
      modelsFolder: path.join(root, 'models'),
      logger: new MemoryLogger(),
      workerPath: path.join(root, 'no-worker.mjs'),
      downloadWorkerPath: path.join(root, 'no-downloads.mjs'),
    });
    await running.start();
    const api = running.api({ id: 'jan-examples.jan-demo-engine', displayName: 'Jan Demo Engine', kind: 'extension' });
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
