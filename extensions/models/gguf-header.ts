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
import { isContextLength } from './context-length';
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
  /** Training context length (`<arch>.context_length`), when it is a valid one (context-length.ts). */
  contextLength?: number;
  hasChatTemplate: boolean;
}

const MAGIC = 'GGUF';
const SUPPORTED_VERSIONS = [2, 3];
const DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4;
const READ_CHUNK = 1024 * 1024;

/**
 * Caps on what a header may declare, checked before any allocation or loop, so a hostile file
 * costs bounded time and memory whatever it claims. Each is far above real models (vocabularies
 * of ~260K tokens, headers of ~20 MB, a few thousand tensors) and far below harm.
 */
export const GGUF_LIMITS = {
  /** Bytes of the header (metadata and tensor table): bounds the whole walk. */
  headerBytes: 64 * 1024 * 1024,
  metadataCount: 65_536,
  tensorCount: 65_536,
  /** Items in one metadata array (a vocabulary, its scores, its merges). */
  arrayItems: 16 * 1024 * 1024,
  /** Strings in all metadata arrays together: each is walked one by one (a vocabulary and its merges are ~1M). */
  strings: 4 * 1024 * 1024,
  /** The GGUF spec's key limit. */
  keyBytes: 65_535,
  /** A string value the reader keeps (names, license); longer ones it only skips. */
  keptStringBytes: 65_536,
  /** ggml's GGML_MAX_NAME is 64; generous. */
  tensorNameBytes: 4096,
  /** Largest general.alignment accepted (a power of two). */
  alignment: 1024 * 1024 * 1024,
} as const;

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

/** String values the reader keeps; every other string is skipped unread. */
const KEPT_STRINGS = new Set(['general.architecture', 'general.name', 'general.license']);
const KEPT_KEYS = new Set([...KEPT_STRINGS, 'general.alignment']);

function headerTooLarge(): Error {
  return new Error(`its header is larger than ${GGUF_LIMITS.headerBytes} bytes`);
}

function overLimit(what: string, value: number, limit: number): Error {
  return new Error(`${what} ${value} is above the limit of ${limit}`);
}

/**
 * Reads a file front to back through a 1 MiB window, so huge vocabularies cost few reads. Nothing
 * it returns is larger than the window, and it stops once the header outgrows its limit.
 */
class Cursor {
  private readonly buffer = Buffer.allocUnsafe(READ_CHUNK);
  private window = Buffer.alloc(0);
  private windowStart = 0;
  /** Strings walked in metadata arrays so far (GGUF_LIMITS.strings). */
  private strings = 0;
  position = 0;

  constructor(
    private readonly file: FileHandle,
    readonly size: number,
  ) {}

  private inWindow(bytes: number): boolean {
    return this.position >= this.windowStart && this.position + bytes <= this.windowStart + this.window.length;
  }

  private advance(bytes: number): void {
    if (this.position + bytes > this.size) throw new Truncated();
    this.position += bytes;
    if (this.position > GGUF_LIMITS.headerBytes) throw headerTooLarge();
  }

  private async need(bytes: number): Promise<void> {
    if (this.position + bytes > this.size) throw new Truncated();
    if (this.inWindow(bytes)) return;
    const length = Math.min(READ_CHUNK, this.size - this.position);
    // One buffer for the whole walk: a long header must not leave a trail of windows to collect.
    const { bytesRead } = await this.file.read(this.buffer, 0, length, this.position);
    if (bytesRead < bytes) throw new Truncated();
    this.window = this.buffer.subarray(0, bytesRead);
    this.windowStart = this.position;
  }

  private at(): number {
    return this.position - this.windowStart;
  }

  /** `count` must be at most the window (callers check declared lengths against smaller limits). */
  async bytes(count: number): Promise<Buffer> {
    await this.need(count);
    const slice = this.window.subarray(this.at(), this.at() + count);
    this.advance(count);
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

  /** A string of at most `limit` bytes; a longer declared length is refused before reading it. */
  async string(what: string, limit: number): Promise<string> {
    const length = await this.u64(`the length of ${what}`);
    if (length > limit) throw new Error(`${what} is ${length} bytes long; the limit is ${limit}`);
    return (await this.bytes(length)).toString('utf8');
  }

  skip(count: number): void {
    this.advance(count);
  }

  /** Skips `count` strings: a vocabulary is walked inside the window, without a read or an await per item. */
  async skipStrings(count: number): Promise<void> {
    this.strings += count;
    if (this.strings > GGUF_LIMITS.strings)
      throw new Error(`its metadata arrays hold more than ${GGUF_LIMITS.strings} strings`);
    let skipped = 0;
    while (skipped < count) {
      await this.need(8);
      const window = this.window;
      let at = this.at();
      let position = this.position;
      while (skipped < count && at + 8 <= window.length) {
        // Byte arithmetic instead of readUInt32LE: this loop may run millions of times.
        const high = window[at + 4]! | (window[at + 5]! << 8) | (window[at + 6]! << 16) | (window[at + 7]! << 24);
        if (high < 0 || high > 0x1fffff) throw new Error('a string length is out of range');
        const low = (window[at]! | (window[at + 1]! << 8) | (window[at + 2]! << 16)) + window[at + 3]! * 0x100_0000;
        const step = 8 + high * 0x1_0000_0000 + low;
        position += step;
        at += step;
        skipped++;
        if (position > this.size) throw new Truncated();
        if (position > GGUF_LIMITS.headerBytes) throw headerTooLarge();
      }
      this.position = position;
    }
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

/** Reads a scalar or a kept string, or walks past a skipped string or an array; arrays are never kept. */
async function readValue(cursor: Cursor, type: number, key: string): Promise<Scalar | undefined> {
  if (type === TYPE_STRING) {
    if (KEPT_STRINGS.has(key)) return cursor.string(`"${key}"`, GGUF_LIMITS.keptStringBytes);
    cursor.skip(await cursor.u64(`the length of "${key}"`));
    return undefined;
  }
  if (SCALAR_SIZES[type] !== undefined) return readScalar(cursor, type);
  if (type !== TYPE_ARRAY) throw new Error(`metadata "${key}" has an unknown value type ${type}`);
  const itemType = await cursor.u32();
  const count = await cursor.u64(`the length of "${key}"`);
  if (count > GGUF_LIMITS.arrayItems)
    throw new Error(`"${key}" declares ${count} items; the limit is ${GGUF_LIMITS.arrayItems}`);
  if (itemType === TYPE_STRING) {
    await cursor.skipStrings(count);
  } else if (SCALAR_SIZES[itemType] !== undefined) {
    cursor.skip(count * SCALAR_SIZES[itemType]!);
  } else {
    throw new Error(`metadata "${key}" is an array of unsupported type ${itemType}`);
  }
  return undefined;
}

/** llama.cpp's rule: a power of two. Anything else (NaN, Infinity, 0, 3, 0.5, a string) is refused. */
function readAlignment(value: Scalar | undefined): number {
  if (value === undefined) return DEFAULT_ALIGNMENT;
  const valid =
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= GGUF_LIMITS.alignment &&
    (value & (value - 1)) === 0;
  if (!valid)
    throw new Error(`general.alignment is ${String(value)}; it must be a power of two up to ${GGUF_LIMITS.alignment}`);
  return value;
}

async function readCount(cursor: Cursor, what: string, limit: number): Promise<number> {
  const count = await cursor.u64(what);
  if (count > limit) throw overLimit(what, count, limit);
  return count;
}

/** Bytes one tensor takes, or undefined for a tensor type newer than GGML_TYPE_SIZES (only its offset is then checked). */
async function readTensorBytes(cursor: Cursor, name: string): Promise<number | undefined> {
  const dimensionCount = await cursor.u32();
  if (dimensionCount < 1 || dimensionCount > MAX_DIMS)
    throw new Error(`tensor "${name}" has ${dimensionCount} dimensions`);
  let first = 0;
  let elements = 1;
  for (let d = 0; d < dimensionCount; d++) {
    const dimension = await cursor.u64(`a dimension of "${name}"`);
    if (d === 0) first = dimension;
    elements *= dimension;
    if (!Number.isSafeInteger(elements))
      throw new Error(`tensor "${name}" declares more elements than ${Number.MAX_SAFE_INTEGER}`);
  }
  const size = GGML_TYPE_SIZES[await cursor.u32()];
  if (!size) return undefined;
  const [blockElements, blockBytes] = size;
  if (first % blockElements !== 0) throw new Error(`tensor "${name}" does not fill whole blocks`);
  return (elements / blockElements) * blockBytes;
}

async function readHeader(cursor: Cursor, label: string): Promise<GgufSummary> {
  if (cursor.size < 4 || (await cursor.bytes(4)).toString('latin1') !== MAGIC) {
    throw new ModelError(
      'INVALID_MODEL_FILE',
      `${label} is not a GGUF model file: it does not start with the GGUF signature.`,
    );
  }
  const version = await cursor.u32();
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new ModelError(
      'INVALID_MODEL_FILE',
      `${label} uses GGUF version ${version}; llama.cpp loads versions 2 and 3.`,
    );
  }
  const tensorCount = await readCount(cursor, 'the tensor count', GGUF_LIMITS.tensorCount);
  const metadataCount = await readCount(cursor, 'the metadata count', GGUF_LIMITS.metadataCount);

  // Only the few values the summary needs are kept, so memory does not grow with the metadata.
  const metadata = new Map<string, Scalar>();
  let hasChatTemplate = false;
  for (let i = 0; i < metadataCount; i++) {
    const key = await cursor.string('a metadata key', GGUF_LIMITS.keyBytes);
    const value = await readValue(cursor, await cursor.u32(), key);
    if (key === 'tokenizer.chat_template') hasChatTemplate = true;
    if (value !== undefined && (KEPT_KEYS.has(key) || key.endsWith('.context_length'))) metadata.set(key, value);
  }
  const alignment = readAlignment(metadata.get('general.alignment'));

  let largestOffsetEnd = 0;
  for (let i = 0; i < tensorCount; i++) {
    const name = await cursor.string('a tensor name', GGUF_LIMITS.tensorNameBytes);
    const bytes = await readTensorBytes(cursor, name);
    const offset = await cursor.u64(`the offset of "${name}"`);
    if (offset % alignment !== 0)
      throw new Error(`the offset ${offset} of "${name}" is not a multiple of ${alignment}`);
    largestOffsetEnd = Math.max(largestOffsetEnd, offset + (bytes ?? 0));
  }
  if (tensorCount === 0) {
    throw new ModelError(
      'INVALID_MODEL_FILE',
      `${label} holds no tensors (a vocabulary-only GGUF?), so it cannot be loaded as a model.`,
    );
  }
  const dataStart = Math.ceil(cursor.position / alignment) * alignment;

  const text = (key: string) => (typeof metadata.get(key) === 'string' ? (metadata.get(key) as string) : undefined);
  const architecture = text('general.architecture');
  const contextLength = architecture ? metadata.get(`${architecture}.context_length`) : undefined;
  return {
    version,
    fileSize: cursor.size,
    tensorCount,
    requiredSize: dataStart + largestOffsetEnd,
    architecture,
    name: text('general.name'),
    license: text('general.license'),
    contextLength: isContextLength(contextLength) ? contextLength : undefined,
    hasChatTemplate,
  };
}

function truncatedMessage(label: string, size: number, needed?: number): string {
  const detail =
    needed === undefined
      ? `it ends (at ${size} bytes) inside its header`
      : `it is ${size} bytes but its tensors need ${needed}`;
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
