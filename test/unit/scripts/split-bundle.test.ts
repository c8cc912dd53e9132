import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM module shared with esbuild.mjs; it has no type declarations.
import { aliases, runtimePackages } from '../../../build-aliases.mjs';
// @ts-expect-error -- plain ESM module shared with esbuild.mjs; it has no type declarations.
import * as split from '../../../build-split.mjs';

const { CHUNKS_FOLDER, chunkOf, commonJsPackageChunks, readMetafile, splitCommonJsBuild, staticClosure } = split;

interface ChunkGraph {
  inputs: Record<string, unknown>;
  outputs: Record<
    string,
    { inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string }>; entryPoint?: string }
  >;
}

const root = path.resolve(__dirname, '../../..');
// Inside the project, so the chunks resolve the runtime packages from its node_modules.
mkdirSync(path.join(root, 'out', 'test-bundles'), { recursive: true });
const work = mkdtempSync(path.join(root, 'out', 'test-bundles', 'split-'));
const dist = path.join(work, 'dist');
let graph: ChunkGraph;

/** The source files bundled into `files` (chunk paths relative to dist/). */
const sourcesOf = (files: string[]) => files.flatMap((file) => Object.keys(graph.outputs[file]!.inputs));

beforeAll(async () => {
  // The extension as esbuild.mjs builds it for the .vsix (minified), into a folder of this test's own.
  const options = splitCommonJsBuild(
    {
      entryPoints: { extension: path.join(root, 'src/vscode/extension.ts') },
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      alias: aliases,
      external: ['vscode', ...runtimePackages],
      logLevel: 'silent',
      absWorkingDir: root,
    },
    { outdir: dist, metafile: path.join(work, 'out', 'extension-chunks.json') },
  );
  await esbuild.build(options);
  graph = readMetafile(path.join(work, 'out', 'extension-chunks.json')) as ChunkGraph;
}, 120_000);

describe('the extension bundle, split so activation parses only what it needs', () => {
  it('activation requires one small file that holds no runtime, chat, server or engine code', () => {
    const loaded = staticClosure(graph, 'extension.js') as string[];
    const sources = sourcesOf(loaded).filter((source) => !source.startsWith('<'));
    expect(sources).toEqual(['src/vscode/extension.ts']);
  });

  it('what activate() loads leaves out the chat, server, remote, assistant, model-command and agent code', () => {
    const activate = chunkOf(graph, 'src/vscode/activate.ts') as string;
    expect(activate).toMatch(new RegExp(`^${CHUNKS_FOLDER}/activate-`));
    const sources = sourcesOf(staticClosure(graph, activate) as string[]);
    expect(sources).toContain('src/node/runtime.ts');
    const lazy = [
      'src/vscode/chat/controller.ts',
      'src/vscode/server/api-server-controller.ts',
      'src/node/server/',
      'src/vscode/remote/commands.ts',
      'node_modules/openai/',
      'src/vscode/assistants/form-panel.ts',
      'src/vscode/assistants/commands.ts',
      'src/vscode/models/download-command.ts',
      'src/vscode/portability/commands.ts',
      'extensions/workspace-tools/tools/',
      'extensions/workspace-tools/exclusions.ts',
      'node_modules/ajv/',
      'src/core/agent/loop.ts',
      'extensions/models/download-model.ts',
      'extensions/models/import-model.ts',
      'node_modules/picomatch/',
      'extensions/mcp/server-connection.ts',
    ];
    expect(lazy.filter((prefix) => sources.some((source) => source.startsWith(prefix)))).toEqual([]);
  });

  it('bundles each module once, so a module shared by chunks has one copy of its state', () => {
    const counts = new Map<string, number>();
    for (const source of sourcesOf(Object.keys(graph.outputs).filter((file) => file.endsWith('.js'))))
      counts.set(source, (counts.get(source) ?? 0) + 1);
    expect([...counts].filter(([source, count]) => count > 1 && !source.startsWith('<'))).toEqual([]);
  });

  it('writes CommonJS that Node loads: every chunk, with its requires between chunks resolved', () => {
    const names = readdirSync(path.join(dist, CHUNKS_FOLDER)).filter((name) => name.endsWith('.js'));
    expect(names.length).toBeGreaterThan(10);
    // `vscode` exists only in the extension host: every name it exports reads as a stub here.
    const stub: unknown = new Proxy(() => stub, { get: () => stub });
    const vscode = new Proxy(
      {},
      {
        get: () => stub,
        ownKeys: () => ['Uri', 'EventEmitter', 'window', 'workspace', 'commands', 'languages', 'ThemeColor'],
        getOwnPropertyDescriptor: () => ({ configurable: true, enumerable: true, value: stub }),
      },
    );
    const load = Module.createRequire(path.join(dist, 'extension.js'));
    const resolve = (Module as unknown as { _resolveFilename: (...args: unknown[]) => string })._resolveFilename;
    const patched = Module as unknown as { _resolveFilename: (request: unknown, ...rest: unknown[]) => string };
    const cache = load.cache;
    cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode } as unknown as NodeJS.Module;
    patched._resolveFilename = (request, ...rest) => (request === 'vscode' ? 'vscode' : resolve(request, ...rest));
    try {
      const entry = load('./extension.js') as Record<string, unknown>;
      expect(typeof entry.activate).toBe('function');
      for (const name of names) expect(() => load(`./${CHUNKS_FOLDER}/${name}`)).not.toThrow();
      // `(await import('proper-lockfile')).lock`: a CommonJS package's chunk gives its named exports, as Node does.
      const packages = commonJsPackageChunks(graph) as string[];
      expect(packages.map((file) => graph.outputs[file]!.entryPoint)).toContain(
        'node_modules/proper-lockfile/index.js',
      );
      const fromProject = Module.createRequire(path.join(root, 'package.json'));
      for (const file of packages) {
        const original = fromProject(path.join(root, graph.outputs[file]!.entryPoint!)) as object;
        expect(Object.keys(load(`./${file}`) as object)).toEqual(Object.keys(original));
      }
    } finally {
      patched._resolveFilename = resolve;
      delete cache.vscode;
    }
  });
});
