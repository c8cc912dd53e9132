import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_FIM_MODEL, createEngine, modelsFolder, testModel } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';
import { writeHugeGguf } from './support/huge-gguf';
import { collect } from './support/collect';

describe('llama.cpp engine: bad and oversized model files', () => {
  let fixture: EngineFixture;
  let folder: string;

  beforeAll(async () => {
    fixture = await createEngine();
    folder = mkdtempSync(path.join(os.tmpdir(), 'jan-llamacpp-files-'));
  });
  afterAll(async () => {
    await fixture.engine.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  function addFile(id: string, contents: Buffer | string): string {
    const file = path.join(folder, `${id}.gguf`);
    writeFileSync(file, contents);
    fixture.addModel(testModel(id, file));
    return file;
  }

  it('says a non-GGUF file is not a GGUF model file', async () => {
    addFile('text-file', 'This is a text file, not a model.\n');
    await expect(fixture.engine.load('text-file')).rejects.toMatchObject({
      code: 'INVALID_MODEL_FILE',
      message: expect.stringMatching(/text-file.*is not a GGUF model file.*Invalid GGUF magic/),
    });
    expect(fixture.events).toContainEqual({
      name: 'OnModelFail',
      payload: { modelId: 'text-file', error: expect.stringContaining('not a GGUF') },
    });
  });

  it('says a truncated GGUF is truncated, whether cut in the data or in the header', async () => {
    const original = readFileSync(path.join(modelsFolder, `${CHAT_FIM_MODEL}.gguf`));
    addFile('cut-in-data', original.subarray(0, 600_000));
    await expect(fixture.engine.load('cut-in-data')).rejects.toMatchObject({
      code: 'INVALID_MODEL_FILE',
      message: expect.stringMatching(/cut-in-data.*is truncated.*describes 1\.1 MiB but the file holds 585\.9 KiB/),
    });
    addFile('cut-in-header', original.subarray(0, 5_000));
    await expect(fixture.engine.load('cut-in-header')).rejects.toMatchObject({
      code: 'INVALID_MODEL_FILE',
      message: expect.stringContaining('truncated'),
    });
  });

  it('says a missing file or an unknown model id is not found', async () => {
    fixture.addModel(testModel('gone', path.join(folder, 'gone.gguf')));
    await expect(fixture.engine.load('gone')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: expect.stringContaining('was not found at'),
    });
    await expect(fixture.engine.load('no-such-model')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: expect.stringContaining('No model "no-such-model"'),
    });
  });

  it('refuses a model too big for this machine before loading it, saying what it needs', async () => {
    // Twice this machine's RAM, in 8192-wide layers of ~1.6 GiB each.
    const layers = Math.ceil((2 * os.totalmem()) / (1.6 * 2 ** 30));
    const file = path.join(folder, 'huge.gguf');
    const size = writeHugeGguf(file, layers);
    expect(statSync(file).size).toBe(size);
    expect(statSync(file).blocks * 512).toBeLessThan(4 * 2 ** 20);
    fixture.addModel(testModel('huge', file));

    const error = await fixture.engine.load('huge').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_MEMORY' });
    const message = (error as Error).message;
    expect(message).toMatch(
      /Model "huge" needs about [\d.]+ GiB of memory \([\d.]+ GiB for the model and [\d.]+ [KMG]iB for 2 sequences of a 512-token context\), but only [\d.]+ GiB is free/,
    );
    const needed = Number(/needs about ([\d.]+) GiB/.exec(message)![1]);
    expect(needed * 2 ** 30).toBeGreaterThan(os.totalmem());
    expect(fixture.logger.messages('info').some((line) => line.startsWith('Loaded huge'))).toBe(false);
  });

  it('still works after all of these: nothing was lost', async () => {
    copyFileSync(path.join(modelsFolder, `${CHAT_FIM_MODEL}.gguf`), path.join(folder, 'copy.gguf'));
    fixture.addModel(testModel('copy', path.join(folder, 'copy.gguf')));
    const reply = await collect(
      fixture.engine.chat({ model: 'copy', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 4 }),
    );
    expect(reply.final!.usage!.completion_tokens).toBeGreaterThan(0);
  });
});
