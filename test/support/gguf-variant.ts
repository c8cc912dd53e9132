import { readFileSync, writeFileSync } from 'node:fs';

/** A GGUF metadata value to set: a whole number (written as uint32) or a string. */
export type GgufValue = number | string;

const TYPE = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;
const FIXED: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const DEFAULT_ALIGNMENT = 32;

/**
 * Writes a copy of a real GGUF with some metadata keys set (added or replaced), its tensors
 * unchanged: a test model "trained" at 131,072 tokens, or with another name, for the tests and
 * benches that need metadata the committed models do not have. The tensor table and data are
 * copied byte for byte (tensor offsets are relative to the data section, so they stay valid).
 */
export function writeGgufVariant(source: string, target: string, changes: Record<string, GgufValue>): void {
  const bytes = readFileSync(source);
  const reader = new Reader(bytes);
  if (reader.u32() !== 0x46554747) throw new Error(`${source} is not a GGUF file`);
  const version = reader.u32();
  const tensorCount = reader.u64();
  const entryCount = reader.u64();
  const entries: Array<{ key: string; bytes: Buffer }> = [];
  let alignment = DEFAULT_ALIGNMENT;
  for (let index = 0; index < entryCount; index++) {
    const start = reader.offset;
    const key = reader.string();
    const type = reader.u32();
    if (key === 'general.alignment') alignment = reader.peekU32();
    reader.skipValue(type);
    entries.push({ key, bytes: bytes.subarray(start, reader.offset) });
  }
  const tableStart = reader.offset;
  for (let index = 0; index < tensorCount; index++) {
    reader.string();
    const dimensions = reader.u32();
    reader.skip(dimensions * 8 + 4 + 8);
  }
  const table = bytes.subarray(tableStart, reader.offset);
  const data = bytes.subarray(align(reader.offset, alignment));

  const changed = new Map(Object.entries(changes).map(([key, value]) => [key, entryBytes(key, value)]));
  const kept = entries.map((entry) => changed.get(entry.key) ?? entry.bytes);
  for (const [key, value] of changed) if (!entries.some((entry) => entry.key === key)) kept.push(value);
  const header = Buffer.concat([u32(0x46554747), u32(version), u64(tensorCount), u64(kept.length), ...kept, table]);
  const padding = Buffer.alloc(align(header.length, alignment) - header.length);
  writeFileSync(target, Buffer.concat([header, padding, data]));
}

function entryBytes(key: string, value: GgufValue): Buffer {
  return typeof value === 'number'
    ? Buffer.concat([text(key), u32(TYPE.u32), u32(value)])
    : Buffer.concat([text(key), u32(TYPE.string), text(value)]);
}

function align(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

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

class Reader {
  offset = 0;
  constructor(private readonly bytes: Buffer) {}

  u32(): number {
    const value = this.bytes.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }
  peekU32(): number {
    return this.bytes.readUInt32LE(this.offset);
  }
  u64(): number {
    const value = Number(this.bytes.readBigUInt64LE(this.offset));
    this.offset += 8;
    return value;
  }
  string(): string {
    const length = this.u64();
    const value = this.bytes.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  skip(count: number): void {
    this.offset += count;
  }
  skipValue(type: number): void {
    if (type === TYPE.string) {
      this.string();
    } else if (type === TYPE.array) {
      const itemType = this.u32();
      const count = this.u64();
      for (let index = 0; index < count; index++) this.skipValue(itemType);
    } else {
      const size = FIXED[type];
      if (size === undefined) throw new Error(`Unknown GGUF value type ${type}`);
      this.skip(size);
    }
  }
}
