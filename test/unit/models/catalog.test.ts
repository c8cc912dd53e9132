import { describe, expect, it } from 'vitest';
import {
  CATALOG,
  estimateMemoryBytes,
  findCatalogEntry,
  recommendedChatModel,
} from '../../../extensions/models/catalog';
import { checkDownloadUri, checkSha256, hfFileName } from '../../../extensions/models/download-source';
import { isValidModelId } from '../../../extensions/models/model-id';

describe('model catalog', () => {
  it('has small chat models and the three Qwen2.5-Coder completion models', () => {
    expect(CATALOG.filter((e) => e.role === 'chat').length).toBeGreaterThanOrEqual(4);
    expect(CATALOG.filter((e) => e.role === 'completion').map((e) => e.id)).toEqual([
      'qwen2.5-coder-0.5b',
      'qwen2.5-coder-1.5b',
      'qwen2.5-coder-3b',
    ]);
  });

  it.each(CATALOG.map((entry) => [entry.id, entry] as const))(
    '%s is a well-formed, downloadable entry',
    (_id, entry) => {
      expect(isValidModelId(entry.id)).toBe(true);
      expect(() => checkDownloadUri(entry.uri)).not.toThrow();
      expect(hfFileName(entry.uri)).toBe(entry.fileName);
      expect(checkSha256(entry.sha256)).toBe(entry.sha256);
      expect(Number.isSafeInteger(entry.sizeBytes) && entry.sizeBytes > 100_000_000).toBe(true);
      expect(findCatalogEntry(entry.id)).toBe(entry);
    },
  );

  it('ids and checksums are unique', () => {
    expect(new Set(CATALOG.map((e) => e.id)).size).toBe(CATALOG.length);
    expect(new Set(CATALOG.map((e) => e.sha256)).size).toBe(CATALOG.length);
  });

  it('estimates memory above the file size, growing with the context', () => {
    for (const entry of CATALOG) {
      const small = estimateMemoryBytes(entry, 2048);
      const large = estimateMemoryBytes(entry, 8192);
      expect(small).toBeGreaterThan(entry.sizeBytes);
      expect(large).toBeGreaterThan(small);
      expect(estimateMemoryBytes(entry)).toBeLessThan(entry.sizeBytes * 3);
    }
    // Per token of context, Llama 3.2 1B adds an f16 K and V for 16 layers × 8 KV heads × 64 dims
    // (32 KiB) and an f32 attention score for 32 heads × a 512-token batch (64 KiB).
    const llama = findCatalogEntry('llama3.2-1b-instruct')!;
    expect(estimateMemoryBytes(llama, 4096) - estimateMemoryBytes(llama, 2048)).toBe(2048 * (32 * 1024 + 64 * 1024));
  });
});

describe('recommended first model', () => {
  const GB = 1024 ** 3;
  it('offers a small chat model that fits a quarter of the RAM, larger on larger machines', () => {
    const small = recommendedChatModel(4 * GB);
    const laptop = recommendedChatModel(16 * GB);
    expect(small.role).toBe('chat');
    expect(estimateMemoryBytes(small)).toBeLessThanOrEqual(GB);
    expect(estimateMemoryBytes(laptop)).toBeLessThanOrEqual(4 * GB);
    expect(estimateMemoryBytes(laptop)).toBeGreaterThan(estimateMemoryBytes(small));
    expect(recommendedChatModel(64 * GB).role).toBe('chat');
  });

  it('offers the smallest chat model when none fits', () => {
    const smallest = Math.min(
      ...CATALOG.filter((entry) => entry.role === 'chat').map((entry) => estimateMemoryBytes(entry)),
    );
    expect(estimateMemoryBytes(recommendedChatModel(GB / 2))).toBe(smallest);
  });
});
