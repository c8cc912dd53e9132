import { randomBytes } from 'node:crypto';

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

function u64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}

function text(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([u64(bytes.length), bytes]);
}

/**
 * A structurally valid GGUF v3 with one random F32 tensor of `floats` values: big enough to span
 * several of the downloader's 5 MiB chunks, which the small real test models do not.
 */
export function makeGguf(floats: number): Buffer {
  const header = Buffer.concat([
    Buffer.from('GGUF', 'latin1'),
    u32(3),
    u64(1),
    u64(2),
    text('general.architecture'),
    u32(8),
    text('llama'),
    text('general.name'),
    u32(8),
    text('synthetic-test-tensor'),
    text('weight'),
    u32(1),
    u64(floats),
    u32(0),
    u64(0),
  ]);
  const padding = Buffer.alloc((32 - (header.length % 32)) % 32);
  return Buffer.concat([header, padding, randomBytes(floats * 4)]);
}
