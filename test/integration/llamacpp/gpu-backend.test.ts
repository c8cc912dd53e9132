import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cudaPackages } from '../../../extensions/llamacpp/worker/backend';
import { CHAT_FIM_MODEL, createEngine } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';

const root = mkdtempSync(path.join(tmpdir(), 'jan-gpu-backend-'));
const version = (JSON.parse(readFileSync('node_modules/node-llama-cpp/package.json', 'utf8')) as { version: string })
  .version;

/**
 * A CUDA backend package as the on-demand download installs it (extensions/llamacpp/backends/),
 * deliberately broken: its llama.cpp binary is not a binary. Its entry module records that it was
 * imported, which proves the worker found it through its module search (worker/backend-packages.ts).
 */
function brokenCudaFolder(): { folder: string; imported: string } {
  const folder = mkdtempSync(path.join(root, 'backends-'));
  const imported = path.join(folder, 'imported.txt');
  for (const name of cudaPackages()) {
    const short = name.split('/')[1]!;
    const packageFolder = path.join(folder, 'node_modules', '@node-llama-cpp', short);
    const binaries = path.join(packageFolder, 'bins', short.replace(/-ext$/, ''));
    mkdirSync(path.join(packageFolder, 'dist'), { recursive: true });
    mkdirSync(binaries, { recursive: true });
    writeFileSync(
      path.join(packageFolder, 'package.json'),
      JSON.stringify({ name, version, type: 'module', main: 'dist/index.js' }),
    );
    writeFileSync(
      path.join(packageFolder, 'dist', 'index.js'),
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(imported)}, ${JSON.stringify(`${name}\n`)});\n` +
        `export function getBinsDir() { return { binsDir: ${JSON.stringify(path.dirname(binaries))}, packageVersion: ${JSON.stringify(version)} }; }\n`,
    );
    writeFileSync(path.join(binaries, 'llama-addon.node'), 'this is not a llama.cpp binary');
    writeFileSync(
      path.join(binaries, '_nlcBuildMetadata.json'),
      JSON.stringify({ buildOptions: { customCmakeOptions: {}, platform: 'linux', arch: 'x64', gpu: 'cuda' } }),
    );
  }
  return { folder, imported };
}

describe('GPU backends: the one asked for, else the CPU with the reason, said once', () => {
  let fixture: EngineFixture | undefined;
  afterEach(async () => {
    await fixture?.engine.dispose();
    fixture = undefined;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs on the CPU when asked, with nothing to say', async () => {
    fixture = await createEngine({ gpu: 'cpu' });
    expect(await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Hello')).toBeGreaterThan(0);
    expect(fixture.engine.status()).toMatchObject({ backend: 'CPU' });
    expect(fixture.engine.status().backendFallback).toBeUndefined();
    expect(fixture.logger.messages('warn')).toEqual([]);
  });

  it('falls back to the CPU when a fetched CUDA backend does not load, and says why once', async () => {
    const broken = brokenCudaFolder();
    fixture = await createEngine({ gpu: 'cuda' }, { backendsFolder: broken.folder });
    expect(await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Hello')).toBeGreaterThan(0);
    const status = fixture.engine.status();
    expect(status.backend).toBe('CPU');
    if (cudaPackages().length > 0) {
      // The worker imported the fetched package, tried its binary and refused it.
      expect(readFileSync(broken.imported, 'utf8')).toContain(cudaPackages()[0]);
      expect(status.backendFallback).toMatch(/^CUDA failed to load: .*not compatible with the current system/);
    } else {
      expect(existsSync(broken.imported)).toBe(false);
      expect(status.backendFallback).toMatch(/CUDA is not available on this platform/);
    }
    // A new worker (settings changed) tries again, and does not say it again.
    fixture.settings.threads = 2;
    expect(await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Hello again')).toBeGreaterThan(0);
    const warnings = fixture.logger.messages('warn').filter((message) => message.startsWith('llama.cpp runs on'));
    expect(warnings).toEqual([`llama.cpp runs on the CPU: ${status.backendFallback}`]);
  });

  it('says the CUDA backend was not downloaded when none is there', async () => {
    fixture = await createEngine({ gpu: 'cuda' }, { backendsFolder: path.join(root, 'empty') });
    expect(await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Hello')).toBeGreaterThan(0);
    expect(fixture.engine.status().backend).toBe('CPU');
    // In a development checkout npm installed node-llama-cpp's CUDA package: then it is tried (and fails without a GPU).
    expect(fixture.engine.status().backendFallback).toMatch(
      /the CUDA backend has not been downloaded|CUDA failed to load|not available on this platform/,
    );
  });
});
