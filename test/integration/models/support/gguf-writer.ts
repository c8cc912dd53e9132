/**
 * Byte builders for hand-made GGUF headers: the hostile-file tests declare sizes and counts the
 * bytes do not back, which only a raw writer can express.
 */
export function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

export function u64(value: number | bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}

export function f32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeFloatLE(value);
  return buffer;
}

export function f64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeDoubleLE(value);
  return buffer;
}

export function text(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([u64(bytes.length), bytes]);
}

/** GGUF v3 magic, version, tensor count and metadata count. */
export function preamble(tensorCount: number | bigint, metadataCount: number | bigint): Buffer {
  return Buffer.concat([Buffer.from('GGUF', 'latin1'), u32(3), u64(tensorCount), u64(metadataCount)]);
}

/** A metadata entry: key, value type, value bytes. */
export function entry(key: string, type: number, value: Buffer): Buffer {
  return Buffer.concat([text(key), u32(type), value]);
}

/** A tensor-table row: name, dimensions, ggml type, offset. */
export function tensorInfo(name: string, dimensions: number[], type: number, offset: number): Buffer {
  return Buffer.concat([text(name), u32(dimensions.length), ...dimensions.map((d) => u64(d)), u32(type), u64(offset)]);
}

export const GGUF_TYPE = { UINT32: 4, FLOAT32: 6, STRING: 8, ARRAY: 9, UINT64: 10, FLOAT64: 12 } as const;
