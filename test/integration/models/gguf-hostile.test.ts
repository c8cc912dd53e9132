/**
 * Hostile GGUF files: headers that declare sizes and counts their bytes do not back, in sparse
 * files as large as the header claims. The reader must refuse each one with a clear error
 * without allocating or looping on what the file claims (RSS growth stays small).
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../../extensions/models';
import { readGgufHeader } from '../../../extensions/models/gguf-header';
import { rejection } from '../../support/rejection';
import { entry, f32, f64, GGUF_TYPE, preamble, tensorInfo, text, u32, u64 } from './support/gguf-writer';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const RSS_BUDGET = 64 * MiB;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jan-gguf-hostile-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `head` (and `pieces` at their offsets) and extends the file (sparse: no disk blocks) to `size` bytes. */
async function sparse(
  name: string,
  head: Buffer,
  size = head.length,
  pieces: Array<[number, Buffer]> = [],
): Promise<string> {
  const file = path.join(dir, name);
  const handle = await open(file, 'w');
  await handle.write(head, 0, head.length, 0);
  for (const [offset, bytes] of pieces) await handle.write(bytes, 0, bytes.length, offset);
  await handle.truncate(Math.max(size, head.length));
  await handle.close();
  return file;
}

/** Reads the header, expecting a refusal; returns the error and how much the RSS grew meanwhile. */
async function refuse(file: string): Promise<{ error: ModelError; rssGrowth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const error = await rejection(readGgufHeader(file), ModelError);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { error, rssGrowth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

const arch = entry('general.architecture', GGUF_TYPE.STRING, text('llama'));

describe('GGUF reader against hostile files (sparse files, bounded memory)', () => {
  it('refuses a metadata string that declares hundreds of MiB without allocating it', async () => {
    const head = Buffer.concat([preamble(1, 2), arch, text('general.name'), u32(GGUF_TYPE.STRING), u64(600 * MiB)]);
    const { error, rssGrowth } = await refuse(await sparse('huge-string.gguf', head, 700 * MiB));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toMatch(/"general\.name".*629145600 bytes/);
    expect(rssGrowth).toBeLessThan(RSS_BUDGET);
  });

  it('refuses a metadata key that declares hundreds of MiB', async () => {
    const head = Buffer.concat([preamble(1, 1), u64(300 * MiB)]);
    const { error, rssGrowth } = await refuse(await sparse('huge-key.gguf', head, 400 * MiB));
    expect(error.message).toMatch(/key.*314572800 bytes/);
    expect(rssGrowth).toBeLessThan(RSS_BUDGET);
  });

  it('refuses a string array with a huge declared count in a huge sparse file', async () => {
    const head = Buffer.concat([
      preamble(1, 2),
      arch,
      text('tokenizer.ggml.tokens'),
      u32(GGUF_TYPE.ARRAY),
      u32(GGUF_TYPE.STRING),
      u64(2 ** 40),
    ]);
    const { error, rssGrowth } = await refuse(await sparse('huge-array.gguf', head, 64 * GiB));
    expect(error.message).toMatch(/"tokenizer\.ggml\.tokens" declares 1099511627776 items/);
    expect(rssGrowth).toBeLessThan(RSS_BUDGET);
  });

  it('refuses a scalar array whose declared byte size overflows', async () => {
    const head = Buffer.concat([
      preamble(1, 2),
      arch,
      text('scores'),
      u32(GGUF_TYPE.ARRAY),
      u32(GGUF_TYPE.FLOAT64),
      u64(2 ** 52),
    ]);
    const { error } = await refuse(await sparse('scalar-array.gguf', head, 4 * GiB));
    expect(error.message).toMatch(/"scores" declares 4503599627370496 items/);
  });

  it('refuses huge metadata and tensor counts before looping over them', async () => {
    const metadata = await refuse(await sparse('metadata-count.gguf', preamble(1, 2 ** 50), 16 * GiB));
    expect(metadata.error.message).toMatch(/metadata count.*1125899906842624/);
    const tensors = await refuse(
      await sparse('tensor-count.gguf', Buffer.concat([preamble(2 ** 45, 1), arch]), 16 * GiB),
    );
    expect(tensors.error.message).toMatch(/tensor count.*35184372088832/);
    expect(Math.max(metadata.rssGrowth, tensors.rssGrowth)).toBeLessThan(RSS_BUDGET);
  });

  it('bounds the header as a whole: many arrays of empty strings in a sparse file stop at the string budget', async () => {
    // Each array stays under the per-array cap and its million empty strings are sparse zeros;
    // together the 400 arrays would walk 400 million items.
    const items = 1_000_000;
    const head = Buffer.concat([preamble(1, 401), arch]);
    const pieces: Array<[number, Buffer]> = [];
    let offset = head.length;
    for (let i = 0; i < 400; i++) {
      const array = Buffer.concat([
        text(`a${String(i).padStart(3, '0')}`),
        u32(GGUF_TYPE.ARRAY),
        u32(GGUF_TYPE.STRING),
        u64(items),
      ]);
      pieces.push([offset, array]);
      offset += array.length + items * 8;
    }
    const { error, rssGrowth } = await refuse(await sparse('many-arrays.gguf', head, offset + 4096, pieces));
    expect(error.message).toMatch(/more than 4194304 strings/);
    expect(rssGrowth).toBeLessThan(RSS_BUDGET);
  });

  it('refuses a non-finite, zero or non-power-of-two general.alignment instead of comparing against NaN', async () => {
    const cases: Array<[string, Buffer]> = [
      ['nan', Buffer.concat([u32(GGUF_TYPE.FLOAT32), f32(Number.NaN)])],
      ['infinity', Buffer.concat([u32(GGUF_TYPE.FLOAT64), f64(Number.POSITIVE_INFINITY)])],
      ['zero', Buffer.concat([u32(GGUF_TYPE.UINT32), u32(0)])],
      ['three', Buffer.concat([u32(GGUF_TYPE.UINT32), u32(3)])],
      ['fraction', Buffer.concat([u32(GGUF_TYPE.FLOAT32), f32(0.5)])],
    ];
    for (const [name, value] of cases) {
      // One F32 tensor of 1000 values at offset 0 but no tensor data at all: must never pass.
      const head = Buffer.concat([
        preamble(1, 2),
        arch,
        text('general.alignment'),
        value,
        tensorInfo('w', [1000], 0, 0),
      ]);
      const { error } = await refuse(await sparse(`alignment-${name}.gguf`, head));
      expect(error.message, name).toMatch(/general\.alignment/);
    }
  });

  it('stops a header that outgrows its byte limit', async () => {
    // Strings of 1 MiB each (skipped, not kept): 100 of them exceed the 64 MiB header limit.
    const head = Buffer.concat([
      preamble(1, 2),
      arch,
      text('tokenizer.ggml.tokens'),
      u32(GGUF_TYPE.ARRAY),
      u32(GGUF_TYPE.STRING),
      u64(100),
    ]);
    const pieces: Array<[number, Buffer]> = [];
    for (let i = 0, offset = head.length; i < 100; i++, offset += 8 + MiB) pieces.push([offset, u64(MiB)]);
    const { error, rssGrowth } = await refuse(
      await sparse('big-header.gguf', head, head.length + 100 * (8 + MiB) + 4096, pieces),
    );
    expect(error.message).toMatch(/header is larger than 67108864 bytes/);
    expect(rssGrowth).toBeLessThan(RSS_BUDGET);
  });

  it('refuses a tensor offset that is not aligned, and dimensions whose product is not a safe integer', async () => {
    const misaligned = Buffer.concat([preamble(1, 1), arch, tensorInfo('w', [8], 0, 3)]);
    expect((await refuse(await sparse('misaligned.gguf', misaligned, 4096))).error.message).toMatch(
      /offset 3 of "w" is not a multiple of 32/,
    );
    const overflow = Buffer.concat([preamble(1, 1), arch, tensorInfo('w', [2 ** 40, 2 ** 40], 0, 0)]);
    expect((await refuse(await sparse('overflow.gguf', overflow, 4096))).error.message).toMatch(
      /"w" declares more elements than/,
    );
  });

  it('reads a large tensor table without overflowing the stack, and refuses one above the cap', async () => {
    const rows = (count: number) => Array.from({ length: count }, (_, i) => tensorInfo(`t${i}`, [8], 0, i * 32));
    const fits = Buffer.concat([preamble(60_000, 1), arch, ...rows(60_000)]);
    const dataStart = Math.ceil(fits.length / 32) * 32;
    const file = await sparse('many-tensors.gguf', fits, dataStart + 60_000 * 32);
    expect(await readGgufHeader(file)).toMatchObject({
      tensorCount: 60_000,
      requiredSize: dataStart + 59_999 * 32 + 32,
    });

    // Refused on the count alone, before a row is read; the rows would be sparse zeros.
    const tooMany = await refuse(
      await sparse('too-many-tensors.gguf', Buffer.concat([preamble(200_000, 1), arch]), 64 * MiB),
    );
    expect(tooMany.error.message).toMatch(/tensor count 200000 is above/);
  });

  it('reports only a context length that is a positive integer in range', async () => {
    const withContext = async (name: string, value: Buffer) => {
      const head = Buffer.concat([
        preamble(1, 2),
        arch,
        text('llama.context_length'),
        value,
        tensorInfo('w', [8], 0, 0),
      ]);
      const dataStart = Math.ceil(head.length / 32) * 32;
      return (await readGgufHeader(await sparse(name, head, dataStart + 32))).contextLength;
    };
    expect(await withContext('ctx-ok.gguf', Buffer.concat([u32(GGUF_TYPE.UINT32), u32(4096)]))).toBe(4096);
    expect(await withContext('ctx-huge.gguf', Buffer.concat([u32(GGUF_TYPE.FLOAT64), f64(1e308)]))).toBeUndefined();
    expect(await withContext('ctx-half.gguf', Buffer.concat([u32(GGUF_TYPE.FLOAT32), f32(0.5)]))).toBeUndefined();
    expect(await withContext('ctx-nan.gguf', Buffer.concat([u32(GGUF_TYPE.FLOAT32), f32(Number.NaN)]))).toBeUndefined();
    expect(await withContext('ctx-u64.gguf', Buffer.concat([u32(GGUF_TYPE.UINT64), u64(2n ** 63n)]))).toBeUndefined();
  });
});
