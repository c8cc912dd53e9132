import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JAN_API_VERSION } from '@jan/core';
import { DECLARATIONS, generate } from '../../../scripts/api-declarations.mjs';

const LOCK = new URL('../../../sdk/jan-api.lock.json', import.meta.url);

/**
 * The public API is one checked-in file (sdk/jan-api.d.ts) and sdk/jan-api.lock.json pins its
 * hash to JAN_API_VERSION: changing the API means regenerating the file, bumping the version and
 * writing the new hash, on purpose.
 */
describe('the public API declarations', () => {
  // Generating type-checks the SDK entry's whole program and then the output: ~20 s alone, over a
  // minute at load 10, so this test has a budget of its own (never a measure of speed).
  it('are what the sources declare now', { timeout: 600_000 }, () => {
    expect(readFileSync(DECLARATIONS, 'utf8')).toBe(generate());
  });

  it('change only with the version', () => {
    const lock = JSON.parse(readFileSync(LOCK, 'utf8')) as { version: string; sha256: string };
    const hash = createHash('sha256').update(readFileSync(DECLARATIONS)).digest('hex');
    expect(lock.version, 'sdk/jan-api.lock.json names another version than JAN_API_VERSION').toBe(JAN_API_VERSION);
    expect(
      hash,
      'sdk/jan-api.d.ts changed while JAN_API_VERSION stayed the same: bump it, then npm run api-declarations -- --lock',
    ).toBe(lock.sha256);
  });

  it('declare what callers use, with the version a caller can compare', () => {
    const text = readFileSync(DECLARATIONS, 'utf8');
    for (const name of ['JanApi', 'JanExtensionApi', 'createJanRuntime', 'JanEngine', 'JAN_API_VERSION'])
      expect(text).toContain(name);
    expect(text).not.toMatch(/from ['"](vscode|valibot)['"]/);
  });
});
