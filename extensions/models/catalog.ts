/**
 * A small curated catalog of models that run well on a laptop CPU. Sizes and sha256 are the
 * Hugging Face LFS values of the named files (each cross-checked in at least two independent
 * public sources; see the notes at the end of this file). The memory figure is an estimate: the
 * engine checks the real fit with node-llama-cpp before it loads anything.
 */
import { SETTINGS } from '@jan/core';

export type CatalogRole = 'chat' | 'completion';

/** Public architecture numbers (config.json) the memory estimate is computed from. */
export interface CatalogArchitecture {
  layers: number;
  attentionHeads: number;
  kvHeads: number;
  headDim: number;
  vocabulary: number;
}

export interface CatalogEntry {
  /** Becomes the model id and folder name. */
  id: string;
  name: string;
  role: CatalogRole;
  description: string;
  author: string;
  license: string;
  /** `hf:<user>/<repo>/<file>`: resolved by node-llama-cpp without an API call. */
  uri: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  quantization: string;
  contextLength: number;
  architecture: CatalogArchitecture;
}

/** Context and batch the memory estimate assumes (the default `jan.engine.contextSize`, llama.cpp's batch). */
export const ESTIMATE_CONTEXT = SETTINGS['jan.engine.contextSize'].default;
const BATCH = 512;
const F16_BYTES = 2;
const F32_BYTES = 4;

/**
 * RAM to run the model on the CPU: the weights (the file), the f16 KV cache for the context,
 * llama.cpp's logits buffer (vocabulary × batch × f32) and the attention scratch of one batch
 * (heads × batch × context × f32), the same terms node-llama-cpp's estimate uses for llama.
 */
export function estimateMemoryBytes(entry: CatalogEntry, contextSize = ESTIMATE_CONTEXT): number {
  const { layers, attentionHeads, kvHeads, headDim, vocabulary } = entry.architecture;
  const kvCache = 2 * layers * kvHeads * headDim * contextSize * F16_BYTES;
  const logits = vocabulary * BATCH * F32_BYTES;
  const attention = attentionHeads * BATCH * contextSize * F32_BYTES;
  return entry.sizeBytes + kvCache + logits + attention;
}

const QWEN25_05B: CatalogArchitecture = {
  layers: 24,
  attentionHeads: 14,
  kvHeads: 2,
  headDim: 64,
  vocabulary: 151_936,
};
const QWEN25_15B: CatalogArchitecture = {
  layers: 28,
  attentionHeads: 12,
  kvHeads: 2,
  headDim: 128,
  vocabulary: 151_936,
};
const QWEN25_3B: CatalogArchitecture = {
  layers: 36,
  attentionHeads: 16,
  kvHeads: 2,
  headDim: 128,
  vocabulary: 151_936,
};
const LLAMA32_1B: CatalogArchitecture = {
  layers: 16,
  attentionHeads: 32,
  kvHeads: 8,
  headDim: 64,
  vocabulary: 128_256,
};
const LLAMA32_3B: CatalogArchitecture = {
  layers: 28,
  attentionHeads: 24,
  kvHeads: 8,
  headDim: 128,
  vocabulary: 128_256,
};
const SMOLLM2_17B: CatalogArchitecture = {
  layers: 24,
  attentionHeads: 32,
  kvHeads: 32,
  headDim: 64,
  vocabulary: 49_152,
};

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: 'qwen2.5-0.5b-instruct',
    name: 'Qwen2.5 0.5B Instruct',
    role: 'chat',
    description: 'The smallest assistant: fast on any CPU, fine for short answers.',
    author: 'Qwen',
    license: 'Apache-2.0',
    uri: 'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    fileName: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
    sizeBytes: 491_400_032,
    sha256: '74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db',
    quantization: 'Q4_K_M',
    contextLength: 32_768,
    architecture: QWEN25_05B,
  },
  {
    id: 'qwen2.5-1.5b-instruct',
    name: 'Qwen2.5 1.5B Instruct',
    role: 'chat',
    description: 'A good balance of speed and answer quality on a laptop.',
    author: 'Qwen',
    license: 'Apache-2.0',
    uri: 'hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    fileName: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    sizeBytes: 1_117_320_736,
    sha256: '6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e',
    quantization: 'Q4_K_M',
    contextLength: 32_768,
    architecture: QWEN25_15B,
  },
  {
    id: 'llama3.2-1b-instruct',
    name: 'Llama 3.2 1B Instruct',
    role: 'chat',
    description: "Meta's small assistant: quick, friendly, multilingual.",
    author: 'Meta (GGUF by bartowski)',
    license: 'Llama 3.2 Community License',
    uri: 'hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    fileName: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    sizeBytes: 807_694_464,
    sha256: '6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83',
    quantization: 'Q4_K_M',
    contextLength: 131_072,
    architecture: LLAMA32_1B,
  },
  {
    id: 'llama3.2-3b-instruct',
    name: 'Llama 3.2 3B Instruct',
    role: 'chat',
    description: 'Noticeably better answers; wants 8 GB of RAM or more.',
    author: 'Meta (GGUF by bartowski)',
    license: 'Llama 3.2 Community License',
    uri: 'hf:bartowski/Llama-3.2-3B-Instruct-GGUF/Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    fileName: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    sizeBytes: 2_019_377_696,
    sha256: '6c1a2b41161032677be168d354123594c0e6e67d2b9227c84f296ad037c728ff',
    quantization: 'Q4_K_M',
    contextLength: 131_072,
    architecture: LLAMA32_3B,
  },
  {
    id: 'smollm2-1.7b-instruct',
    name: 'SmolLM2 1.7B Instruct',
    role: 'chat',
    description: "Hugging Face's compact assistant, trained mostly on English.",
    author: 'Hugging Face (GGUF by bartowski)',
    license: 'Apache-2.0',
    uri: 'hf:bartowski/SmolLM2-1.7B-Instruct-GGUF/SmolLM2-1.7B-Instruct-Q4_K_M.gguf',
    fileName: 'SmolLM2-1.7B-Instruct-Q4_K_M.gguf',
    sizeBytes: 1_055_609_824,
    sha256: '77665ea4815999596525c636fbeb56ba8b080b46ae85efef4f0d986a139834d7',
    quantization: 'Q4_K_M',
    contextLength: 8_192,
    architecture: SMOLLM2_17B,
  },
  {
    id: 'qwen2.5-coder-0.5b',
    name: 'Qwen2.5 Coder 0.5B (base, FIM)',
    role: 'completion',
    description: 'Fastest inline completion; base model with fill-in-the-middle tokens.',
    author: 'Qwen (GGUF by ggml-org)',
    license: 'Apache-2.0',
    uri: 'hf:ggml-org/Qwen2.5-Coder-0.5B-Q8_0-GGUF/qwen2.5-coder-0.5b-q8_0.gguf',
    fileName: 'qwen2.5-coder-0.5b-q8_0.gguf',
    sizeBytes: 531_068_128,
    sha256: 'd0f8cd6c49bab52a0abdbe47948518b1f4d9b1a8a2a6825099cea31cea10ac56',
    quantization: 'Q8_0',
    contextLength: 32_768,
    architecture: QWEN25_05B,
  },
  {
    id: 'qwen2.5-coder-1.5b',
    name: 'Qwen2.5 Coder 1.5B (base, FIM)',
    role: 'completion',
    description: 'Better inline completion, still quick on a laptop CPU.',
    author: 'Qwen (GGUF by ggml-org)',
    license: 'Apache-2.0',
    uri: 'hf:ggml-org/Qwen2.5-Coder-1.5B-Q8_0-GGUF/qwen2.5-coder-1.5b-q8_0.gguf',
    fileName: 'qwen2.5-coder-1.5b-q8_0.gguf',
    sizeBytes: 1_646_573_056,
    sha256: '29871c94d15727a6e243f79a37113d4ae625a6215b5e800bf41a23af2da32832',
    quantization: 'Q8_0',
    contextLength: 32_768,
    architecture: QWEN25_15B,
  },
  {
    id: 'qwen2.5-coder-3b',
    name: 'Qwen2.5 Coder 3B (base, FIM)',
    role: 'completion',
    description: 'The best of the three; about twice as slow as 1.5B.',
    author: 'Qwen (GGUF by ggml-org)',
    license: 'Qwen Research License',
    uri: 'hf:ggml-org/Qwen2.5-Coder-3B-Q8_0-GGUF/qwen2.5-coder-3b-q8_0.gguf',
    fileName: 'qwen2.5-coder-3b-q8_0.gguf',
    sizeBytes: 3_285_476_160,
    sha256: 'a522a906e299ed34db738b9626b2cd0da9e446c14674468a22fc2eae3dbd344d',
    quantization: 'Q8_0',
    contextLength: 32_768,
    architecture: QWEN25_3B,
  },
];

export function findCatalogEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((entry) => entry.id === id);
}

/** Share of the machine's RAM a first model may take: the editor, the browser and the OS keep the rest. */
const FIRST_MODEL_RAM_SHARE = 0.25;

/**
 * The chat model to offer a new user: the largest catalog chat model whose estimated memory fits
 * in a quarter of `totalMemoryBytes`, else the smallest one (it still runs, slowly, on less).
 */
export function recommendedChatModel(totalMemoryBytes: number): CatalogEntry {
  const chat = CATALOG.filter((entry) => entry.role === 'chat').sort(
    (a, b) => estimateMemoryBytes(a) - estimateMemoryBytes(b),
  );
  const fitting = chat.filter((entry) => estimateMemoryBytes(entry) <= totalMemoryBytes * FIRST_MODEL_RAM_SHARE);
  return fitting.at(-1) ?? chat[0]!;
}

// Where the numbers come from (looked up 2026-11; Hugging Face itself cannot be reached from the
// build machine, so none was read from huggingface.co directly):
// - sizes and sha256: public projects that pin these exact files, each value seen in at least two
//   unrelated repositories (download manifests, Nix fetchers, HF API test fixtures with lfs.oid).
// - architectures: the models' config.json as quoted by public code (Qwen2.5 0.5B/1.5B/3B:
//   24/28/36 layers, 14/12/16 heads, 2 KV heads; Llama 3.2 1B/3B: 16/28 layers, 32/24 heads,
//   8 KV heads; SmolLM2 1.7B: 24 layers, 32 heads, 32 KV heads).
