import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelsFixture, STORIES, STORIES_FIM, TINYSTORIES, type ModelsFixture } from './support/models-fixture';

let fixture: ModelsFixture;

afterEach(async () => {
  await fixture?.dispose();
});

async function writeModelFolder(
  folder: string,
  modelJson: string,
  gguf?: { name: string; from: string },
): Promise<string> {
  const dir = path.join(fixture.modelsFolder, folder);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'model.json');
  await writeFile(file, modelJson);
  if (gguf) await writeFile(path.join(dir, gguf.name), await readFile(gguf.from));
  return file;
}

describe('model registry (model.json files in the models folder)', () => {
  it('round-trips imported models through a fresh extension, as after a restart', async () => {
    fixture = await createModelsFixture();
    const chat = await fixture.models.importModel(STORIES_FIM, { mode: 'copy' });
    const story = await fixture.models.importModel(TINYSTORIES, { mode: 'reference' });

    const reopened = fixture.reopen();
    const { models, warnings } = await reopened.listModels();

    expect(warnings).toEqual([]);
    expect(models.map((m) => m.id).sort()).toEqual(['stories260k-chatml-fim', 'tinystories-656k-q8_0']);
    expect(await reopened.getModel(chat.id)).toEqual(chat);
    expect(await reopened.getModel(story.id)).toEqual(story);
    expect(await reopened.resolveModel(chat.id)).toEqual({
      model: chat,
      filePath: path.join(fixture.modelsFolder, chat.id, 'stories260K-chatml-fim.gguf'),
    });
    expect(await reopened.resolveModel(story.id)).toEqual({ model: story, filePath: TINYSTORIES });
    expect(reopened.modelFilePath(story)).toBe(TINYSTORIES);
    expect(await reopened.resolveModel('no-such-model')).toBeUndefined();
    expect(await reopened.resolveModel('../escape')).toBeUndefined();
  });

  it('writes Jan 0.5 model.json fields, engine included', async () => {
    fixture = await createModelsFixture();
    const model = await fixture.models.importModel(STORIES_FIM, { mode: 'copy' });
    const onDisk = JSON.parse(await readFile(path.join(fixture.modelsFolder, model.id, 'model.json'), 'utf8'));

    expect(onDisk).toMatchObject({
      object: 'model',
      id: 'stories260k-chatml-fim',
      name: 'stories260K chatml fim',
      format: 'gguf',
      engine: 'llamacpp',
      sources: [{ filename: 'stories260K-chatml-fim.gguf', url: STORIES_FIM }],
      settings: { ctx_len: 2048, llama_model_path: 'stories260K-chatml-fim.gguf' },
      parameters: { stream: true },
      metadata: { size: 1_186_144, architecture: 'llama', license: 'mit', tags: ['imported'] },
    });
    expect(typeof onDisk.created).toBe('number');
  });

  it('reads model.json files Jan wrote (old engine names, null fields, relative paths)', async () => {
    fixture = await createModelsFixture();
    await writeModelFolder(
      'jan-stories',
      JSON.stringify({
        sources: [{ filename: 'stories260K.gguf', url: 'https://example.org/stories260K.gguf' }],
        id: 'jan-stories',
        object: 'model',
        name: 'Jan stories',
        version: '1.0',
        description: null,
        format: 'gguf',
        settings: { ctx_len: 2048, prompt_template: '{prompt}' },
        parameters: { temperature: 0.7 },
        metadata: { author: 'Someone', tags: ['Tiny'], size: 1185376 },
        engine: 'nitro',
      }),
      { name: 'stories260K.gguf', from: STORIES },
    );
    await writeModelFolder(
      'remote-gpt',
      JSON.stringify({ id: 'gpt-4o-mini', name: 'GPT-4o mini', format: 'api', engine: 'openai' }),
    );

    const { models, warnings } = await fixture.models.listModels();

    expect(warnings).toEqual([]);
    expect(models.map((m) => [m.id, m.engine])).toEqual([
      ['gpt-4o-mini', 'openai'],
      ['jan-stories', 'llamacpp'],
    ]);
    expect(models[1]!.description).toBe('');
    expect((await fixture.models.resolveModel('jan-stories'))?.filePath).toBe(
      path.join(fixture.modelsFolder, 'jan-stories', 'stories260K.gguf'),
    );
  });

  it('skips bad model.json files with a warning, keeps the good ones and never rewrites the bad ones', async () => {
    fixture = await createModelsFixture();
    const good = await fixture.models.importModel(STORIES, { mode: 'reference' });
    const bad: Record<string, string> = {
      'broken-json': '{ "id": "broken-json", ',
      'not-object': '[1, 2, 3]',
      'no-id': JSON.stringify({ name: 'nameless' }),
      'bad-id': JSON.stringify({ id: '../../etc', settings: { llama_model_path: 'x.gguf' } }),
      'wrong-type': JSON.stringify({ id: 'wrong-type', settings: 'fast', sources: [] }),
      escapes: JSON.stringify({ id: 'escapes', settings: { llama_model_path: '../../outside.gguf' } }),
      'no-file': JSON.stringify({ id: 'no-file', engine: 'llamacpp' }),
      duplicate: JSON.stringify({ id: good.id, settings: { llama_model_path: STORIES } }),
    };
    const files = new Map<string, string>();
    for (const [folder, text] of Object.entries(bad)) files.set(await writeModelFolder(folder, text), text);
    await mkdir(path.join(fixture.modelsFolder, 'empty-folder'));
    await mkdir(path.join(fixture.modelsFolder, '.downloads', 'abc'), { recursive: true });

    const { models, warnings } = await fixture.models.listModels();

    expect(models.map((m) => m.id)).toEqual([good.id]);
    expect(warnings.map((w) => path.basename(path.dirname(w.path))).sort()).toEqual(Object.keys(bad).sort());
    expect(warnings.find((w) => w.path.includes('broken-json'))?.message).toMatch(/not valid JSON/);
    expect(warnings.find((w) => w.path.includes('wrong-type'))?.message).toMatch(/"settings" should be an object/);
    expect(warnings.find((w) => w.path.includes('escapes'))?.message).toMatch(/leaves the model folder/);
    expect(warnings.find((w) => w.path.includes('duplicate'))?.message).toMatch(/already used/);
    expect(fixture.logger.messages('warn').length).toBe(warnings.length);
    for (const [file, text] of files) expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('an empty or missing models folder lists no models', async () => {
    fixture = await createModelsFixture();
    expect(await fixture.models.listModels()).toEqual({ models: [], warnings: [] });
    expect(await fixture.listFolder()).toEqual([]);
  });
});
