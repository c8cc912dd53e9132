import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../../extensions/models';
import { rejection } from '../../support/rejection';
import { makeGguf } from './support/make-gguf';
import {
  createModelsFixture,
  STORIES,
  STORIES_SHA256,
  TINYSTORIES,
  type ModelsFixture,
} from './support/models-fixture';

let fixture: ModelsFixture;

afterEach(async () => {
  await fixture?.dispose();
});

async function sha256Of(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

const failure = (promise: Promise<unknown>) => rejection(promise, ModelError);

async function scratchFile(name: string, content: Buffer | string): Promise<string> {
  const file = path.join(fixture.root, 'user-files', name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

describe('importing a local GGUF', () => {
  it('references a real GGUF in place: nothing is copied and deleting the model keeps the file', async () => {
    fixture = await createModelsFixture();
    const userFile = await scratchFile('stories260K.gguf', await readFile(STORIES));

    const model = await fixture.models.importModel(userFile, { mode: 'reference' });

    expect(model).toMatchObject({ id: 'stories260k', engine: 'llamacpp', settings: { llama_model_path: userFile } });
    expect(await fixture.listFolder()).toEqual(['stories260k']);
    expect(existsSync(path.join(fixture.modelsFolder, 'stories260k', 'stories260K.gguf'))).toBe(false);
    expect(await fixture.models.isReferencedInPlace('stories260k')).toBe(true);

    await fixture.models.deleteModel('stories260k');

    expect(await fixture.listFolder()).toEqual([]);
    expect(await sha256Of(userFile)).toBe(STORIES_SHA256);
  });

  it('copies a real GGUF into the models folder with progress; deleting removes the copy only', async () => {
    fixture = await createModelsFixture();
    const progress: number[] = [];

    const model = await fixture.models.importModel(STORIES, {
      mode: 'copy',
      name: 'Stories',
      onProgress: (copied) => progress.push(copied),
    });

    const copy = path.join(fixture.modelsFolder, 'stories260k', 'stories260K.gguf');
    expect(model).toMatchObject({
      id: 'stories260k',
      name: 'Stories',
      settings: { llama_model_path: 'stories260K.gguf' },
    });
    expect(await sha256Of(copy)).toBe(STORIES_SHA256);
    expect(progress.at(-1)).toBe((await stat(STORIES)).size);
    expect(await fixture.models.isReferencedInPlace('stories260k')).toBe(false);

    await fixture.models.deleteModel('stories260k');

    expect(existsSync(copy)).toBe(false);
    expect(await sha256Of(STORIES)).toBe(STORIES_SHA256);
  });

  it('imports every shared test model, reading each header', async () => {
    fixture = await createModelsFixture();
    for (const file of [STORIES, TINYSTORIES, path.join(path.dirname(STORIES), 'stories260K-chatml-fim.gguf')]) {
      await fixture.models.importModel(file, { mode: 'reference' });
    }
    const { models } = await fixture.models.listModels();
    expect(models.map((m) => [m.id, m.settings.ctx_len])).toEqual([
      ['stories260k', 2048],
      ['stories260k-chatml-fim', 2048],
      ['tinystories-656k-q8_0', 512],
    ]);
  });

  it('refuses a text file with a clear error and leaves nothing behind', async () => {
    fixture = await createModelsFixture();
    const notes = await scratchFile('notes.gguf', 'These are my notes, not a model.\n');

    for (const mode of ['reference', 'copy'] as const) {
      const error = await failure(fixture.models.importModel(notes, { mode }));
      expect(error.code).toBe('INVALID_MODEL_FILE');
      expect(error.message).toBe('"notes.gguf" is not a GGUF model file: it does not start with the GGUF signature.');
    }
    expect(await fixture.listFolder()).toEqual([]);
  });

  it('refuses truncated GGUFs (cut in the header, cut in the tensor data) and leaves nothing behind', async () => {
    fixture = await createModelsFixture();
    const original = await readFile(STORIES);
    const cutHeader = await scratchFile('cut-header.gguf', original.subarray(0, 100));
    const cutData = await scratchFile('cut-data.gguf', original.subarray(0, 600_000));

    const headerError = await failure(fixture.models.importModel(cutHeader, { mode: 'copy' }));
    const dataError = await failure(fixture.models.importModel(cutData, { mode: 'reference' }));

    expect(headerError.code).toBe('INVALID_MODEL_FILE');
    expect(headerError.message).toMatch(/"cut-header\.gguf" is truncated: it ends \(at 100 bytes\) inside its header/);
    expect(dataError.code).toBe('INVALID_MODEL_FILE');
    expect(dataError.message).toMatch(/"cut-data\.gguf" is truncated: it is 600000 bytes but its tensors need 1185376/);
    expect(await fixture.listFolder()).toEqual([]);
  });

  it('refuses a missing file and a folder', async () => {
    fixture = await createModelsFixture();
    expect(
      (await failure(fixture.models.importModel(path.join(fixture.root, 'nope.gguf'), { mode: 'copy' }))).code,
    ).toBe('NOT_FOUND');
    expect((await failure(fixture.models.importModel(fixture.root, { mode: 'copy' }))).code).toBe('INVALID_MODEL_FILE');
    expect(await fixture.listFolder()).toEqual([]);
  });

  it('a cancelled copy leaves nothing behind', async () => {
    fixture = await createModelsFixture();
    const big = await scratchFile('big.gguf', makeGguf(4 * 1024 * 1024));
    const controller = new AbortController();

    const error = await failure(
      fixture.models.importModel(big, {
        mode: 'copy',
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    );

    expect(error.code).toBe('CANCELLED');
    expect(await fixture.listFolder()).toEqual([]);
  });

  it('refuses a copy that does not fit on the disk, before writing anything', async () => {
    fixture = await createModelsFixture({ freeSpace: async () => 500_000 });

    const error = await failure(fixture.models.importModel(STORIES, { mode: 'copy' }));

    expect(error.code).toBe('INSUFFICIENT_DISK_SPACE');
    expect(error.message).toMatch(/needs 1\.19 MB but only 500 KB is free/);
    expect(await fixture.listFolder()).toEqual([]);
    // Referencing in place writes only model.json, so it does not need the space.
    await fixture.models.importModel(STORIES, { mode: 'reference' });
  });

  it('gives a second import of the same file its own id and never touches an existing folder', async () => {
    fixture = await createModelsFixture();
    const squatter = path.join(fixture.modelsFolder, 'stories260k', 'model.json');
    await mkdir(path.dirname(squatter), { recursive: true });
    await writeFile(squatter, 'not json at all');

    const first = await fixture.models.importModel(STORIES, { mode: 'reference' });
    const second = await fixture.models.importModel(STORIES, { mode: 'reference' });

    expect([first.id, second.id]).toEqual(['stories260k-2', 'stories260k-3']);
    expect(await readFile(squatter, 'utf8')).toBe('not json at all');
  });

  it('deleting refuses unknown and unsafe ids', async () => {
    fixture = await createModelsFixture();
    expect((await failure(fixture.models.deleteModel('missing'))).code).toBe('NOT_FOUND');
    expect((await failure(fixture.models.deleteModel('../models'))).code).toBe('INVALID_ID');
  });
});

describe('model folder names (the one folder-name rule)', () => {
  it('names a model imported from CON.gguf or com1.gguf so Windows can hold its folder', async () => {
    fixture = await createModelsFixture();
    const bytes = await readFile(STORIES);
    const ids = [];
    for (const name of ['CON.gguf', 'com1.gguf', 'lpt1..gguf', 'nul.tar.gguf'])
      ids.push((await fixture.models.importModel(await scratchFile(name, bytes), { mode: 'reference' })).id);
    expect(ids).toEqual(['con_', 'com1_', 'lpt1_', 'nul_.tar']);
    expect(await fixture.listFolder()).toEqual(['com1_', 'con_', 'lpt1_', 'nul_.tar']);
  });

  it('never makes a folder that differs from another only in case, even when two imports run at once', async () => {
    fixture = await createModelsFixture();
    const bytes = await readFile(STORIES);
    const existing = path.join(fixture.modelsFolder, 'Stories260K');
    await mkdir(existing, { recursive: true });
    await writeFile(
      path.join(existing, 'model.json'),
      JSON.stringify({ id: 'Stories260K', settings: { llama_model_path: STORIES } }),
    );
    const imported = await fixture.models.importModel(await scratchFile('stories260k.gguf', bytes), {
      mode: 'reference',
    });
    expect(imported.id).toBe('stories260k-2');

    const [a, b] = await Promise.all([
      fixture.models.importModel(await scratchFile('a/TINY.gguf', bytes), { mode: 'reference' }),
      fixture.models.importModel(await scratchFile('b/tiny.gguf', bytes), { mode: 'reference' }),
    ]);
    expect([a.id, b.id].sort()).toEqual(['tiny', 'tiny-2']);
    const names = await fixture.listFolder();
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
  });

  it('a model.json that is a FIFO, a link to /dev/zero or huge is skipped with a warning, never read', async () => {
    fixture = await createModelsFixture();
    await fixture.models.importModel(STORIES, { mode: 'reference' });
    for (const name of ['fifo', 'zero', 'huge'])
      await mkdir(path.join(fixture.modelsFolder, name), { recursive: true });
    execFileSync('mkfifo', [path.join(fixture.modelsFolder, 'fifo', 'model.json')]);
    await symlink('/dev/zero', path.join(fixture.modelsFolder, 'zero', 'model.json'));
    await writeFile(path.join(fixture.modelsFolder, 'huge', 'model.json'), '');
    await truncate(path.join(fixture.modelsFolder, 'huge', 'model.json'), 64 * 1024 * 1024);
    const { models, warnings } = await fixture.models.listModels();
    expect(models.map((model) => model.id)).toEqual(['stories260k']);
    expect(warnings.map((warning) => path.basename(path.dirname(warning.path))).sort()).toEqual([
      'fifo',
      'huge',
      'zero',
    ]);
    expect(warnings.map((warning) => warning.message).join('\n')).toMatch(/not a regular file[\s\S]*larger than/);
  });
});
