import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GgmlType, getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GGML_TYPE_SIZES, readGgufHeader } from '../../../extensions/models/gguf-header';
import { makeGguf } from './support/make-gguf';
import { STORIES, STORIES_FIM, TINYSTORIES } from './support/models-fixture';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jan-gguf-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function variant(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('GGUF structure check', () => {
  it('reads the real test models and finds them complete', async () => {
    expect(await readGgufHeader(STORIES)).toEqual({
      version: 3,
      fileSize: 1_185_376,
      tensorCount: 48,
      requiredSize: 1_185_376,
      architecture: 'llama',
      name: 'llama',
      license: undefined,
      contextLength: 2048,
      hasChatTemplate: false,
    });
    expect(await readGgufHeader(STORIES_FIM)).toMatchObject({
      name: 'stories260K-chatml-fim',
      license: 'mit',
      hasChatTemplate: true,
      requiredSize: 1_186_144,
    });
    expect(await readGgufHeader(TINYSTORIES)).toMatchObject({
      tensorCount: 20,
      contextLength: 512,
      requiredSize: 749_728,
      license: 'apache-2.0',
    });
  });

  it('reads a generated multi-chunk GGUF', async () => {
    const bytes = makeGguf(1_000_000);
    expect(await readGgufHeader(await variant('synthetic.gguf', bytes))).toMatchObject({
      tensorCount: 1,
      requiredSize: bytes.length,
      architecture: 'llama',
    });
  });

  it('names the problem in a bad file', async () => {
    const real = await readFile(STORIES);
    const oldVersion = Buffer.from(real);
    oldVersion.writeUInt32LE(1, 4);
    const noTensors = Buffer.from(real.subarray(0, 24));
    noTensors.writeBigUInt64LE(0n, 8);
    noTensors.writeBigUInt64LE(0n, 16);

    await expect(readGgufHeader(await variant('v1.gguf', oldVersion))).rejects.toThrow(
      '"v1.gguf" uses GGUF version 1; llama.cpp loads versions 2 and 3.',
    );
    await expect(readGgufHeader(await variant('vocab.gguf', noTensors))).rejects.toThrow(
      /"vocab\.gguf" holds no tensors/,
    );
    await expect(readGgufHeader(await variant('empty.gguf', Buffer.alloc(0)))).rejects.toThrow(
      /does not start with the GGUF signature/,
    );
    await expect(
      readGgufHeader(await variant('one-byte-short.gguf', real.subarray(0, real.length - 1))),
    ).rejects.toThrow(/it is 1185375 bytes but its tensors need 1185376/);
  });

  it('knows the block sizes llama.cpp itself reports for every tensor type', async () => {
    const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error });
    // node-llama-cpp does not publish these two lookups in its types; they come from ggml.
    const bindings = (
      llama as unknown as {
        _bindings: {
          getBlockSizeForGgmlType(t: number): number | undefined;
          getTypeSizeForGgmlType(t: number): number | undefined;
        };
      }
    )._bindings;
    const fromLlama: Record<number, [number, number]> = {};
    for (const value of Object.values(GgmlType)) {
      if (typeof value !== 'number') continue;
      const block = bindings.getBlockSizeForGgmlType(value);
      const size = bindings.getTypeSizeForGgmlType(value);
      if (block && size) fromLlama[value] = [block, size];
    }
    expect(Object.keys(fromLlama).length).toBeGreaterThan(30);
    expect(GGML_TYPE_SIZES).toEqual(fromLlama);
    await llama.dispose();
  });
});
