/**
 * `npm run bench -- memory-plan`: the memory plan (extensions/llamacpp/worker/model-plan.ts) of a
 * 1.5B and an 8B model on this machine, at the default settings (`jan.engine.contextSize` 0: the
 * largest context that fits) and at 4,096 tokens, one JSON line. The models are GGUF headers of
 * the real shapes (Qwen2.5-1.5B, Llama-3.1-8B; Q4_K layers) over sparse files: node-llama-cpp's
 * estimates read only the header, so nothing is downloaded or loaded. The figures: the context and
 * what limited it, chat sequences, KV cache per token and per sequence, the chat pool, the
 * completion context's 2,048 tokens, the weights; a thread's saved state is its tokens × the KV per token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { inspectModelFile } from '../extensions/llamacpp/worker/model-file';
import { planModel } from '../extensions/llamacpp/worker/model-plan';
import { writeHugeGguf, type ModelShape } from '../test/integration/llamacpp/support/huge-gguf';

const MODELS: Record<string, { layers: number; trained: number; shape: ModelShape }> = {
  // 28 layers, 1536 wide, 12 heads, 2 KV heads of 128, trained at 32,768 tokens.
  '1.5B': {
    layers: 28,
    trained: 32_768,
    shape: { width: 1536, feedForward: 8960, heads: 12, kvHeads: 2, weights: 'Q4_K' },
  },
  // 32 layers, 4096 wide, 32 heads, 8 KV heads of 128, trained at 131,072 tokens.
  '8B': {
    layers: 32,
    trained: 131_072,
    shape: { width: 4096, feedForward: 14336, heads: 32, kvHeads: 8, weights: 'Q4_K' },
  },
};
const MiB = 1024 ** 2;
const THREAD_TOKENS = 4000;

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'jan-bench-memory-plan-'));
  const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
  const result: Record<string, unknown> = { bench: 'memory-plan', total_ram_gib: round(os.totalmem() / 1024 ** 3) };
  try {
    for (const [name, { layers, trained, shape }] of Object.entries(MODELS)) {
      const file = path.join(folder, `${name}.gguf`);
      writeHugeGguf(file, layers, trained, shape);
      const insights = await inspectModelFile(llama, name, file);
      for (const [label, contextSize] of [
        ['default', undefined],
        ['4096', 4096],
      ] as const) {
        const plan = await planModel(llama, insights, {
          modelId: name,
          filePath: file,
          contextSize,
          completionContextSize: 2048,
        });
        const kvPerToken = plan.bytesPerSequence / plan.contextSize;
        const key = `${name}_${label}`;
        Object.assign(result, {
          [`${key}_context`]: plan.contextSize,
          [`${key}_context_limit`]: plan.contextLimit,
          [`${key}_train_context`]: plan.trainContextSize,
          [`${key}_sequences`]: plan.sequences,
          [`${key}_kv_kib_per_token`]: round(kvPerToken / 1024),
          [`${key}_kv_mib_per_sequence`]: round(plan.bytesPerSequence / MiB),
          [`${key}_chat_pool_mib`]: round(plan.chatRamBytes / MiB),
          [`${key}_completion_mib`]: round(plan.completionRamBytes / MiB),
          [`${key}_weights_mib`]: round(plan.modelRamBytes / MiB),
          [`${key}_state_mib_${THREAD_TOKENS}_tokens`]: round((kvPerToken * THREAD_TOKENS) / MiB),
          [`${key}_fit`]: plan.fit,
        });
      }
    }
  } finally {
    await llama.dispose();
    rmSync(folder, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await main();
