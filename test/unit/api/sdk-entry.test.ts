import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '@jan/core';
import { createJanRuntime, JAN_API_VERSION } from '../../../src/node/sdk';

let root: string | undefined;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe('createJanRuntime (jan-vscode/sdk)', () => {
  it('refuses options it cannot use, naming the field, before starting anything', async () => {
    await expect(createJanRuntime({} as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('dataFolder'),
    });
    await expect(createJanRuntime({ dataFolder: '   ' })).rejects.toThrow(/dataFolder/);
    await expect(createJanRuntime({ dataFolder: 'x', settings: { 'jan.chatModle': 'a' } })).rejects.toThrow(
      /unknown setting jan\.chatModle/,
    );
  });

  it("starts the editor's runtime for a program over a .jan folder, and closes it", async () => {
    root = mkdtempSync(path.join(tmpdir(), 'jan-sdk-entry-'));
    // A class instance whose methods use `this`: the runtime must call the caller's object, not a copy.
    const logger = new MemoryLogger();
    const jan = await createJanRuntime({
      dataFolder: path.join(root, '.jan'),
      modelsFolder: path.join(root, 'models'),
      name: 'my script',
      settings: { 'jan.chat.maxTokens': 64 },
      logger,
    });
    expect(jan.version).toBe(JAN_API_VERSION);
    expect(jan.caller).toEqual({ id: 'my script', displayName: 'my script', kind: 'program' });
    await jan.threads.create({ title: 'Notes' });
    expect((await jan.threads.list()).map((listed) => listed.title)).toEqual(['Notes']);
    await jan.close();
  });
});
