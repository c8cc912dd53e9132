import { describe, expect, it } from 'vitest';
import {
  idCandidates,
  isValidModelId,
  modelIdFromFileName,
  modelNameFromFileName,
} from '../../../extensions/models/model-id';
import { formatBytes } from '../../../extensions/models/format-size';

describe('model ids and names from file names', () => {
  it.each([
    ['Llama-3.2-1B-Instruct-Q4_K_M.gguf', 'llama-3.2-1b-instruct-q4_k_m', 'Llama 3.2 1B Instruct Q4_K_M'],
    ['/home/me/models/stories260K.gguf', 'stories260k', 'stories260K'],
    ['My Model (v2) final!!.GGUF', 'my-model-v2-final', 'My Model (v2) final!!'],
    ['..hidden...gguf', 'hidden', '..hidden..'],
    ['日本語.gguf', 'model', '日本語'],
    ['CON.gguf', 'con_', 'CON'],
    ['com1.gguf', 'com1_', 'com1'],
    ['lpt1..gguf', 'lpt1_', 'lpt1.'],
    ['NUL.tar.gz.gguf', 'nul_.tar.gz', 'NUL.tar.gz'],
  ])('%s → id %s, name %s', (file, id, name) => {
    expect(modelIdFromFileName(file)).toBe(id);
    expect(isValidModelId(modelIdFromFileName(file))).toBe(true);
    expect(modelNameFromFileName(file)).toBe(name);
  });

  it('accepts folder-safe ids only', () => {
    for (const id of ['qwen2.5-coder-1.5b', 'llama3.2-1b-instruct', 'A_b-9']) expect(isValidModelId(id)).toBe(true);
    for (const id of ['', '.', '..', '../x', 'a/b', 'a\\b', '-lead', 'a..b', 'x'.repeat(200), 'sp ace'])
      expect(isValidModelId(id)).toBe(false);
    // Folders Windows cannot hold (the one folder-name rule): device names with any extension, a trailing dot.
    for (const id of ['con', 'CON', 'nul.tar.gz', 'lpt1.', 'com9.gguf', 'aux', 'trailing.'])
      expect(isValidModelId(id), id).toBe(false);
  });

  it('offers base, base-2, base-3… as free ids, each one a folder every platform holds', () => {
    const candidates = idCandidates('m');
    expect([candidates.next().value, candidates.next().value, candidates.next().value]).toEqual(['m', 'm-2', 'm-3']);
    const device = idCandidates('lpt1.');
    expect([device.next().value, device.next().value]).toEqual(['lpt1_', 'lpt1_-2']);
  });

  it('formats sizes in decimal units, as downloads are shown', () => {
    expect([0, 999, 1000, 1_185_376, 1_117_320_736, 3_285_476_160, 12e12].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.00 KB',
      '1.19 MB',
      '1.12 GB',
      '3.29 GB',
      '12.0 TB',
    ]);
    expect(formatBytes(-1)).toBe('? B');
  });
});
