import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

/** The shape of a Llama-architecture model: widths, attention heads (of 128 dimensions), the layers' weight type. */
export interface ModelShape {
  width: number;
  feedForward: number;
  heads: number;
  kvHeads: number;
  /** Q4_K: 4.5 bits a weight, as the Q4_K_M files most users run (widths must be multiples of 256). */
  weights?: 'F16' | 'Q4_K';
}

/** 8192 wide with 8 KV heads: a 70B-class layer. */
const HUGE_LAYER: ModelShape = { width: 8192, feedForward: 28672, heads: 64, kvHeads: 8 };

/**
 * Writes a GGUF (v3) whose header describes a Llama model of `layers` F16 layers (8192 wide unless
 * `shape` says), then extends the file to the full size the header describes with ftruncate: the
 * file is sparse, so it is "that big" to every reader (stat, GGUF parser, node-llama-cpp's
 * estimates) while taking almost no disk. Its data are zeros; it exists to be planned or refused
 * before anything loads it.
 */
export function writeHugeGguf(file: string, layers: number, contextLength = 4096, shape = HUGE_LAYER): number {
  const { width, feedForward } = shape;
  const kvWidth = shape.kvHeads * 128;
  const layerType = shape.weights === 'Q4_K' ? GGML_Q4_K : GGML_F16;
  const vocab = [
    '<unk>',
    '<s>',
    '</s>',
    ...Array.from({ length: 256 }, (_, byte) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`),
  ];
  const out = new GgufBytes();
  const metadata: Array<[string, (bytes: GgufBytes) => void]> = [
    ['general.architecture', (b) => b.stringValue('llama')],
    ['general.name', (b) => b.stringValue('huge-test-model')],
    ['llama.context_length', (b) => b.u32Value(contextLength)],
    ['llama.embedding_length', (b) => b.u32Value(width)],
    ['llama.block_count', (b) => b.u32Value(layers)],
    ['llama.feed_forward_length', (b) => b.u32Value(feedForward)],
    ['llama.attention.head_count', (b) => b.u32Value(shape.heads)],
    ['llama.attention.head_count_kv', (b) => b.u32Value(shape.kvHeads)],
    ['llama.rope.dimension_count', (b) => b.u32Value(128)],
    ['llama.attention.layer_norm_rms_epsilon', (b) => b.f32Value(1e-5)],
    ['tokenizer.ggml.model', (b) => b.stringValue('llama')],
    ['tokenizer.ggml.tokens', (b) => b.array(TYPE.string, vocab, (item) => b.string(item))],
    ['tokenizer.ggml.scores', (b) => b.array(TYPE.f32, vocab, () => b.f32(0))],
    [
      'tokenizer.ggml.token_type',
      (b) => b.array(TYPE.i32, vocab, (_, index) => b.i32(index === 0 ? 2 : index < 3 ? 3 : 6)),
    ],
    ['tokenizer.ggml.bos_token_id', (b) => b.u32Value(1)],
    ['tokenizer.ggml.eos_token_id', (b) => b.u32Value(2)],
  ];
  const tensors: Array<{ name: string; dims: number[]; type: number }> = [
    { name: 'token_embd.weight', dims: [width, vocab.length], type: GGML_F16 },
    { name: 'output_norm.weight', dims: [width], type: GGML_F32 },
    { name: 'output.weight', dims: [width, vocab.length], type: GGML_F16 },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const matrices: Array<[string, number[]]> = [
      ['attn_q', [width, width]],
      ['attn_k', [width, kvWidth]],
      ['attn_v', [width, kvWidth]],
      ['attn_output', [width, width]],
      ['ffn_gate', [width, feedForward]],
      ['ffn_up', [width, feedForward]],
      ['ffn_down', [feedForward, width]],
    ];
    for (const [name, dims] of matrices) tensors.push({ name: `blk.${layer}.${name}.weight`, dims, type: layerType });
    tensors.push({ name: `blk.${layer}.attn_norm.weight`, dims: [width], type: GGML_F32 });
    tensors.push({ name: `blk.${layer}.ffn_norm.weight`, dims: [width], type: GGML_F32 });
  }

  out.u32(0x46554747); // "GGUF"
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, write] of metadata) {
    out.string(key);
    write(out);
  }
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(tensor.type);
    out.u64(offset);
    const bytes = tensor.dims.reduce((product, dim) => product * dim, 1) * BYTES_PER_WEIGHT[tensor.type]!;
    offset = align(offset + bytes);
  }
  const header = out.toBuffer();
  const size = align(header.length) + offset;
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, header);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  return size;
}

const ALIGNMENT = 32;
const GGML_F32 = 0;
const GGML_F16 = 1;
const GGML_Q4_K = 12;
/** Q4_K: blocks of 256 weights in 144 bytes. */
const BYTES_PER_WEIGHT: Record<number, number> = { [GGML_F32]: 4, [GGML_F16]: 2, [GGML_Q4_K]: 144 / 256 };
const TYPE = { u32: 4, i32: 5, f32: 6, string: 8, array: 9, u64: 10 } as const;

function align(value: number): number {
  return Math.ceil(value / ALIGNMENT) * ALIGNMENT;
}

class GgufBytes {
  private readonly parts: Buffer[] = [];

  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.parts.push(buffer);
  }
  i32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32LE(value);
    this.parts.push(buffer);
  }
  f32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeFloatLE(value);
    this.parts.push(buffer);
  }
  u64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.parts.push(buffer);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.parts.push(bytes);
  }
  stringValue(value: string): void {
    this.u32(TYPE.string);
    this.string(value);
  }
  u32Value(value: number): void {
    this.u32(TYPE.u32);
    this.u32(value);
  }
  f32Value(value: number): void {
    this.u32(TYPE.f32);
    this.f32(value);
  }
  array<T>(itemType: number, items: readonly T[], write: (item: T, index: number) => void): void {
    this.u32(TYPE.array);
    this.u32(itemType);
    this.u64(items.length);
    items.forEach(write);
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
