import vsce from '@vscode/vsce';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script; it has no type declarations.
import { checkPackagedFiles, LLAMA_BINARIES, strayFiles } from '../../../scripts/package.mjs';

const check = checkPackagedFiles as (files: string[], binaryPackages: string[], bundleFiles?: string[]) => void;
const targets = LLAMA_BINARIES as Record<string, string[]>;

const base = [
  'package.json',
  'README.md',
  'dist/extension.js',
  'dist/llamacpp-worker.mjs',
  'node_modules/node-llama-cpp/package.json',
  'node_modules/node-llama-cpp/dist/index.js',
];
const binaries = (name: string) => [
  `node_modules/@node-llama-cpp/${name}/package.json`,
  `node_modules/@node-llama-cpp/${name}/bins/${name}/llama-addon.node`,
];

describe('the packaged file list, for every target', () => {
  it('ships the Vulkan backend beside the CPU one on Linux and Windows x64, and CUDA nowhere', () => {
    expect(targets['linux-x64']).toEqual(['linux-x64', 'linux-x64-vulkan']);
    expect(targets['win32-x64']).toEqual(['win-x64', 'win-x64-vulkan']);
    expect(targets['darwin-arm64']).toEqual(['mac-arm64-metal']);
    for (const packages of Object.values(targets)) expect(packages.join()).not.toMatch(/cuda/);
  });

  it("passes a target's list with each of its binary packages", () => {
    for (const [target, packages] of Object.entries(targets)) {
      expect(() => check([...base, ...packages.flatMap(binaries)], packages), target).not.toThrow();
    }
  });

  it('refuses a list without the Vulkan binaries, with CUDA ones, or with a stray top-level file', () => {
    const linux = targets['linux-x64']!;
    expect(() => check([...base, ...binaries('linux-x64')], linux)).toThrow(
      /missing the llama.cpp binaries in node_modules\/@node-llama-cpp\/linux-x64-vulkan\/bins\//,
    );
    expect(() => check([...base, ...linux.flatMap(binaries), ...binaries('linux-x64-cuda')], linux)).toThrow(
      /binaries of other platforms or GPUs: node_modules\/@node-llama-cpp\/linux-x64-cuda/,
    );
    expect(() => check([...base, ...linux.flatMap(binaries), 'src/secret.ts'], linux)).toThrow(/files outside/);
    expect(() =>
      check(
        base.filter((file) => file !== 'dist/llamacpp-worker.mjs'),
        [],
      ),
    ).toThrow(/missing dist\/llamacpp-worker\.mjs/);
  });

  it("refuses a list without one of the extension's chunks", () => {
    const linux = targets['linux-x64']!;
    const files = [...base, ...linux.flatMap(binaries), 'dist/chunks/controller-ABC.js'];
    expect(() => check(files, linux, ['dist/extension.js', 'dist/chunks/controller-ABC.js'])).not.toThrow();
    expect(() => check(files, linux, ['dist/chunks/controller-ABC.js', 'dist/chunks/chunk-DEF.js'])).toThrow(
      /missing the extension's chunks: dist\/chunks\/chunk-DEF\.js/,
    );
  });
});

describe("the checkout's own files", () => {
  it('are shipped or left out by .vscodeignore: a new top-level folder cannot break packaging', async () => {
    const root = path.resolve(__dirname, '../../..');
    const listed = await vsce.listFiles({
      cwd: root,
      packageManager: vsce.PackageManager.None,
      ignoreFile: path.join(root, '.vscodeignore'),
    });
    expect((strayFiles as (files: string[]) => string[])(listed.map((file) => file.replaceAll('\\', '/')))).toEqual([]);
  });
});
