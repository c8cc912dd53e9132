import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogger } from '@jan/core';
import { JanRuntime } from '../../../src/node/runtime';
import { STORIES_FIM } from '../../support/test-models';
import { buildCli, cliFolders, projectRoot, run } from '../cli/support/cli-fixture';

const EXAMPLE = path.join(projectRoot, 'examples', 'summarise-threads', 'summarise.mjs');
let folders: ReturnType<typeof cliFolders>;
let model: string;

/** Two threads written as any caller would write them: through the public API of a runtime. */
async function writeThreads(): Promise<string[]> {
  const runtime = new JanRuntime({
    janFolder: folders.data,
    modelsFolder: folders.models,
    logger: new MemoryLogger(),
    workerPath: path.join(folders.root, 'no-worker.mjs'),
    downloadWorkerPath: path.join(folders.root, 'no-downloads.mjs'),
  });
  await runtime.start();
  const api = runtime.api({ id: 'test', displayName: 'Test', kind: 'program' });
  const ids: string[] = [];
  for (const [title, question, answer] of [
    ['Parsing dates', 'How do I parse an ISO date?', 'Use Date.parse or a library such as Temporal.'],
    ['Flaky test', 'Why does my test time out?', 'It waits on a timer; wait on the event instead.'],
  ] as const) {
    const thread = await api.threads.create({ title });
    await api.threads.append(thread.id, { role: 'user', text: question });
    await api.threads.append(thread.id, { role: 'assistant', text: answer });
    ids.push(thread.id);
  }
  await runtime.stop();
  return ids;
}

beforeAll(() => {
  buildCli();
  folders = cliFolders('jan-sdk-example-');
  model = run(folders.root, ['models', 'import', STORIES_FIM, ...folders.common()]).stdout.trim();
}, 180_000);

afterAll(() => {
  rmSync(folders.root, { recursive: true, force: true });
});

describe('examples/summarise-threads (the Node SDK entry, built)', () => {
  // A real model in a child process on shared cores: a budget of its own, never a measure of speed.
  it('summarises each thread of a .jan folder with a local model', { timeout: 600_000 }, async () => {
    expect(model).not.toBe('');
    const ids = await writeThreads();
    const result = spawnSync(
      process.execPath,
      [EXAMPLE, folders.data, '--models', folders.models, '--model', model, '--max-tokens', '16', '--json'],
      { cwd: projectRoot, encoding: 'utf8', timeout: 540_000 },
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { id: string; title: string; messages: number; summary: string; tokens: number },
      );
    expect(lines.map((line) => line.id).sort()).toEqual([...ids].sort());
    for (const line of lines) {
      expect(line.messages).toBe(2);
      expect(typeof line.summary).toBe('string');
      expect(line.tokens).toBeGreaterThan(0);
      expect(line.tokens).toBeLessThanOrEqual(16);
    }
    expect(lines.map((line) => line.title).sort()).toEqual(['Flaky test', 'Parsing dates']);
  });

  it('refuses to start without a .jan folder, saying how to call it', () => {
    const result = spawnSync(process.execPath, [EXAMPLE], { cwd: projectRoot, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: node summarise\.mjs/);
  });
});
