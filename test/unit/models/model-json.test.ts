import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelStore } from '../../../extensions/models/model-store';
import {
  normalizeEngine,
  parseModelJson,
  rewriteModelJson,
  serializeModel,
} from '../../../extensions/models/model-json';
import { buildModelRecord } from '../../../extensions/models/model-record';

describe('model.json parsing', () => {
  it('fills Jan defaults for a minimal file and keeps what it has', () => {
    const result = parseModelJson(
      JSON.stringify({ id: 'tiny', settings: { llama_model_path: 'tiny.gguf', ctx_len: 2048 } }),
    );
    expect(result).toEqual({
      ok: true,
      model: {
        object: 'model',
        version: '1.0',
        format: 'gguf',
        sources: [],
        id: 'tiny',
        name: 'tiny',
        created: 0,
        description: '',
        settings: { llama_model_path: 'tiny.gguf', ctx_len: 2048 },
        parameters: {},
        metadata: {},
        engine: 'llamacpp',
      },
    });
  });

  it('treats null as absent, as Jan writes unset fields', () => {
    const result = parseModelJson(
      JSON.stringify({ id: 'm', name: null, description: null, sources: null, metadata: null, engine: null }),
    );
    expect(result.ok && result.model).toMatchObject({
      name: 'm',
      description: '',
      sources: [],
      metadata: {},
      engine: 'llamacpp',
    });
  });

  it('maps the engine names Jan used for llama.cpp, and keeps remote engines', () => {
    expect(['nitro', 'cortex', 'cortex.llamacpp', 'llama-cpp', 'LLAMACPP', undefined].map(normalizeEngine)).toEqual(
      Array(6).fill('llamacpp'),
    );
    expect(normalizeEngine('openai')).toBe('openai');
  });

  it('reads a byte-order mark and round-trips what it serializes', () => {
    const first = parseModelJson(`\ufeff${JSON.stringify({ id: 'bom', name: 'With BOM' })}`);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(parseModelJson(serializeModel(first.model))).toEqual(first);
  });

  it.each([
    ['{ "id": ', /not valid JSON/],
    ['"just a string"', /not a JSON object/],
    ['{}', /"id" is missing/],
    ['{ "id": 42 }', /"id" should be a string/],
    ['{ "id": "../../etc" }', /not a valid model id/],
    ['{ "id": "a/b" }', /not a valid model id/],
    ['{ "id": "ok", "object": "thread" }', /"object" is "thread", not "model"/],
    ['{ "id": "ok", "settings": [] }', /"settings" should be an object/],
    ['{ "id": "ok", "settings": { "llama_model_path": 3 } }', /settings: "llama_model_path" should be a string/],
    ['{ "id": "ok", "sources": [{ "filename": 1 }] }', /sources\[0\]: "filename" should be a string/],
    ['{ "id": "ok", "created": "yesterday" }', /"created" should be a number/],
  ])('refuses %s with a message that names the problem', (text, message) => {
    const result = parseModelJson(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });

  it('refuses a context length that is not a whole number of tokens in range, naming the field', () => {
    for (const ctx of [1e308, 0.5, 0, -4096, 2 ** 40, '4096']) {
      const result = parseModelJson(JSON.stringify({ id: 'm', settings: { ctx_len: ctx } }));
      expect(result.ok, String(ctx)).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/settings.*ctx_len/);
    }
    expect(parseModelJson(JSON.stringify({ id: 'm', settings: { ctx_len: 131072 } })).ok).toBe(true);
  });

  it('never writes a context length the header did not validate', () => {
    const header = { version: 3, fileSize: 10, tensorCount: 1, requiredSize: 10, hasChatTemplate: false };
    const build = (contextLength: number) =>
      buildModelRecord({
        id: 'm',
        name: 'm',
        modelPath: 'm.gguf',
        source: { filename: 'm.gguf', url: '' },
        header: { ...header, contextLength },
        tags: [],
      });
    for (const bad of [1e308, 0.5, Number.NaN, Number.POSITIVE_INFINITY, -1])
      expect(build(bad).settings.ctx_len, String(bad)).toBeUndefined();
    expect(build(8192).settings.ctx_len).toBe(8192);
  });
});

describe('model.json rewrite', () => {
  it('changes only what the change changed: unknown fields, the engine alias and "__proto__" keys stay', () => {
    const raw = `{"id":"qwen","name":"Qwen","engine":"nitro","settings":{"ctx_len":4096,"llama_model_path":"qwen.gguf"},"inference_params":{"legacy":true},"__proto__":{"also":"kept"},"metadata":{"__proto__":{"kept":true}},"seed":12345678901234567891}`;
    const result = rewriteModelJson(raw, (model) => ({
      ...model,
      name: 'Qwen 2.5',
      settings: { ...model.settings, ctx_len: 8192 },
    }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // What the change did not touch keeps its bytes: the object as it was written, the integer's digits.
    const text = result.text.toString('utf8');
    expect(text).toContain('"__proto__": {"also":"kept"}');
    expect(text).toContain('"seed": 12345678901234567891');
    const written = JSON.parse(text) as Record<string, unknown>;
    const before = JSON.parse(raw) as Record<string, unknown>;
    expect(written).toEqual({
      ...before,
      name: 'Qwen 2.5',
      settings: { ctx_len: 8192, llama_model_path: 'qwen.gguf' },
    });
    expect(Object.keys(written)).toEqual(Object.keys(before));
  });

  it('is how the model store changes a model.json on disk', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jan-models-'));
    try {
      const folder = path.join(root, 'qwen');
      mkdirSync(folder);
      writeFileSync(
        path.join(folder, 'model.json'),
        '{"id":"qwen","settings":{"llama_model_path":"q.gguf"},"x_jan_06":{"provider":"llamacpp"}}',
      );
      const model = await new ModelStore(root).updateModel(folder, (current) => ({ ...current, description: 'Small' }));
      expect(model.description).toBe('Small');
      expect(JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8'))).toEqual({
        id: 'qwen',
        settings: { llama_model_path: 'q.gguf' },
        x_jan_06: { provider: 'llamacpp' },
        description: 'Small',
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a file that does not parse, so it is never overwritten', () => {
    expect(rewriteModelJson('{ not json', (model) => model)).toMatchObject({
      ok: false,
      error: expect.stringContaining('not valid JSON'),
    });
  });
});
