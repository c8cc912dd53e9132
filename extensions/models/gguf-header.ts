/**
 * A small GGUF structure check, so importing or downloading a bad file fails with a clear
 * message before any model.json is written (node-llama-cpp may only be imported in the
 * llama.cpp worker). It walks the header, the metadata and the tensor table, then checks that
 * the file is long enough for every tensor: that is what catches a half-copied or
 * half-downloaded model, whose header still looks fine.
 * Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
import { open, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { ModelError } from './errors';

export interface GgufSummary {
  version: number;
  fileSize: number;
  tensorCount: number;
  /** Bytes the tensors need; a file shorter than this is truncated. */
  requiredSize: number;
  architecture?: string;
  name?: string;
  license?: string;
  /** Training context length (`<arch>.context_length`). */
  contextLength?: number;
  hasChatTemplate: boolean;
}

const MAGIC = 'GGUF';
const SUPPORTED_VERSIONS = [2, 3];
const DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4;
const READ_CHUNK = 1024 * 1024;

/** [elements per block, bytes per block] by ggml type id, as llama.cpp's ggml reports them. */
export const GGML_TYPE_SIZES: Readonly<Record<number, readonly [number, number]>> = {
  0: [1, 4],
  1: [1, 2],
  2: [32, 18],
  3: [32, 20],
  6: [32, 22],
  7: [32, 24],
  8: [32, 34],
  9: [32, 36],
  10: [256, 84],
  11: [256, 110],
  12: [256, 144],
  13: [256, 176],
  14: [256, 210],
  15: [256, 292],
  16: [256, 66],
  17: [256, 74],
  18: [256, 98],
  19: [256, 50],
  20: [32, 18],
  21: [256, 110],
  22: [256, 82],
  23: [256, 136],
  24: [1, 1],
  25: [1, 2],
  26: [1, 4],
  27: [1, 8],
  28: [1, 8],
  29: [256, 56],
  30: [1, 2],
  34: [256, 54],
  35: [256, 66],
  39: [32, 17],
  40: [64, 36],
  41: [128, 18],
  42: [64, 18],
};

/** Metadata value types: fixed byte sizes (strings and arrays are walked). */
const SCALAR_SIZES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const TYPE_STRING = 8;
const TYPE_ARRAY = 9;

type Scalar = string | number | boolean;

class Truncated extends Error {}

/** Reads a file front to back through a 1 MiB window, so huge vocabularies cost few reads. */
class Cursor {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  position = 0;

  constructor(
    private readonly file: FileHandle,
    readonly size: number,
  ) {}

  private async need(bytes: number): Promise<void> {
    if (this.position + bytes > this.size) throw new Truncated();
    if (this.position >= this.windowStart && this.position + bytes <= this.windowStart + this.window.length) return;
    const length = Math.min(Math.max(bytes, READ_CHUNK), this.size - this.position);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buffer, 0, length, this.position);
    if (bytesRead < bytes) throw new Truncated();
    this.window = buffer.subarray(0, bytesRead);
    this.windowStart = this.position;
  }

  private at(): number {
    return this.position - this.windowStart;
  }

  async bytes(count: number): Promise<Buffer> {
    await this.need(count);
    const slice = this.window.subarray(this.at(), this.at() + count);
    this.position += count;
    return slice;
  }

  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }

  async u64(what: string): Promise<number> {
    const value = (await this.bytes(8)).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what} is out of range (${value})`);
    return Number(value);
  }

  async string(): Promise<string> {
    const length = await this.u64('a string length');
    if (length > this.size - this.position) throw new Truncated();
    return (await this.bytes(length)).toString('utf8');
  }

  skip(count: number): void {
    if (this.position + count > this.size) throw new Truncated();
    this.position += count;
  }
}

async function readScalar(cursor: Cursor, type: number): Promise<Scalar> {
  const raw = await cursor.bytes(SCALAR_SIZES[type]!);
  switch (type) {
    case 0:
      return raw.readUInt8(0);
    case 1:
      return raw.readInt8(0);
    case 2:
      return raw.readUInt16LE(0);
    case 3:
      return raw.readInt16LE(0);
    case 4:
      return raw.readUInt32LE(0);
    case 5:
      return raw.readInt32LE(0);
    case 6:
      return raw.readFloatLE(0);
    case 7:
      return raw.readUInt8(0) !== 0;
    case 10:
      return Number(raw.readBigUInt64LE(0));
    case 11:
      return Number(raw.readBigInt64LE(0));
    default:
      return raw.readDoubleLE(0);
  }
}

/** Reads a scalar or string value, or walks past an array; arrays are never kept. */
async function readValue(cursor: Cursor, type: number, key: string): Promise<Scalar | undefined> {
  if (type === TYPE_STRING) return cursor.string();
  if (SCALAR_SIZES[type] !== undefined) return readScalar(cursor, type);
  if (type !== TYPE_ARRAY) throw new Error(`metadata "${key}" has an unknown value type ${type}`);
  const itemType = await cursor.u32();
  const count = await cursor.u64(`the length of "${key}"`);
  if (itemType === TYPE_STRING) {
    for (let i = 0; i < count; i++) cursor.skip(await cursor.u64(`a string length in "${key}"`));
  } else if (SCALAR_SIZES[itemType] !== undefined) {
    cursor.skip(count * SCALAR_SIZES[itemType]!);
  } else {
    throw new Error(`metadata "${key}" is an array of unsupported type ${itemType}`);
  }
  return undefined;
}

async function readHeader(cursor: Cursor, label: string): Promise<GgufSummary> {
  if (cursor.size < 4 || (await cursor.bytes(4)).toString('latin1') !== MAGIC) {
    throw new ModelError('INVALID_MODEL_FILE', `${label} is not a GGUF model file: it does not start with the GGUF signature.`);
  }
  const version = await cursor.u32();
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new ModelError('INVALID_MODEL_FILE', `${label} uses GGUF version ${version}; llama.cpp loads versions 2 and 3.`);
  }
  const tensorCount = await cursor.u64('the tensor count');
  const metadataCount = await cursor.u64('the metadata count');

  const metadata = new Map<string, Scalar>();
  for (let i = 0; i < metadataCount; i++) {
    const key = await cursor.string();
    const value = await readValue(cursor, await cursor.u32(), key);
    if (value !== undefined) metadata.set(key, value);
  }

  const tensors: Array<{ offset: number; bytes: number | undefined }> = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = await cursor.string();
    const dimensionCount = await cursor.u32();
    if (dimensionCount < 1 || dimensionCount > MAX_DIMS) throw new Error(`tensor "${name}" has ${dimensionCount} dimensions`);
    const dimensions: number[] = [];
    for (let d = 0; d < dimensionCount; d++) dimensions.push(await cursor.u64(`a dimension of "${name}"`));
    const size = GGML_TYPE_SIZES[await cursor.u32()];
    const offset = await cursor.u64(`the offset of "${name}"`);
    // A tensor type newer than this table: its size is unknown, so only its offset is checked.
    let bytes: number | undefined;
    if (size) {
      const [blockElements, blockBytes] = size;
      if (dimensions[0]! % blockElements !== 0) throw new Error(`tensor "${name}" does not fill whole blocks`);
      bytes = (dimensions[0]! / blockElements) * blockBytes * dimensions.slice(1).reduce((a, b) => a * b, 1);
    }
    tensors.push({ offset, bytes });
  }
  if (tensorCount === 0) {
    throw new ModelError('INVALID_MODEL_FILE', `${label} holds no tensors (a vocabulary-only GGUF?), so it cannot be loaded as a model.`);
  }

  const alignmentValue = metadata.get('general.alignment');
  const alignment = typeof alignmentValue === 'number' && alignmentValue > 0 ? alignmentValue : DEFAULT_ALIGNMENT;
  const dataStart = Math.ceil(cursor.position / alignment) * alignment;
  const requiredSize = Math.max(...tensors.map((tensor) => dataStart + tensor.offset + (tensor.bytes ?? 0)));

  const text = (key: string) => (typeof metadata.get(key) === 'string' ? (metadata.get(key) as string) : undefined);
  const architecture = text('general.architecture');
  const contextLength = architecture ? metadata.get(`${architecture}.context_length`) : undefined;
  return {
    version,
    fileSize: cursor.size,
    tensorCount,
    requiredSize,
    architecture,
    name: text('general.name'),
    license: text('general.license'),
    contextLength: typeof contextLength === 'number' && contextLength > 0 ? contextLength : undefined,
    hasChatTemplate: metadata.has('tokenizer.chat_template'),
  };
}

function truncatedMessage(label: string, size: number, needed?: number): string {
  const detail = needed === undefined ? `it ends (at ${size} bytes) inside its header` : `it is ${size} bytes but its tensors need ${needed}`;
  return `${label} is truncated: ${detail}. Is it an incomplete download or copy?`;
}

/**
 * Checks that `filePath` is a complete GGUF model and returns what its header says.
 * Throws ModelError('INVALID_MODEL_FILE') with a message that names the file.
 */
export async function readGgufHeader(filePath: string): Promise<GgufSummary> {
  const label = `"${path.basename(filePath)}"`;
  let file: FileHandle;
  try {
    file = await open(filePath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelError('NOT_FOUND', `${label} does not exist (${filePath}).`);
    throw new ModelError('INVALID_MODEL_FILE', `${label} cannot be read: ${(error as Error).message}`);
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw new ModelError('INVALID_MODEL_FILE', `${label} is not a file.`);
    let summary: GgufSummary;
    try {
      summary = await readHeader(new Cursor(file, stats.size), label);
    } catch (error) {
      if (error instanceof ModelError) throw error;
      if (error instanceof Truncated) throw new ModelError('INVALID_MODEL_FILE', truncatedMessage(label, stats.size));
      throw new ModelError('INVALID_MODEL_FILE', `${label} is not a valid GGUF file: ${(error as Error).message}.`);
    }
    if (summary.requiredSize > stats.size) {
      throw new ModelError('INVALID_MODEL_FILE', truncatedMessage(label, stats.size, summary.requiredSize));
    }
    return summary;
  } finally {
    await file.close();
  }
}
