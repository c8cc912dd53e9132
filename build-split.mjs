// The extension host's bundle, split (docs/ARCHITECTURE.md "Activation"): VS Code loads extensions
// as CommonJS, and esbuild splits code only for ES modules. So esbuild splits an ESM build (each
// `import()` becomes its own chunk, code two chunks share goes to a shared one), then each file is
// converted to CommonJS with `import()` turned into `require()`: a feature's code is parsed when it
// is first used, and a module shared by chunks exists once (one copy of its state).
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Where split chunks go, beside the entry (dist/extension.js loads dist/chunks/*.js). */
export const CHUNKS_FOLDER = 'chunks';
/** The extension build's chunk graph (esbuild's metafile, paths relative to dist/), relative to the project. */
export const EXTENSION_METAFILE = 'out/extension-chunks.json';
/** Where `node esbuild.mjs --unsplit` puts the activation code as one file, activate.js (the activation bench's baseline). */
export const UNSPLIT_FOLDER = 'out/unsplit';

/**
 * esbuild options that build `options.entryPoints` split into CommonJS chunks in `outdir`, and
 * write the chunk graph to `metafile`. The ESM pass is staged in a folder of this process's own,
 * and chunk names carry a hash of their content: builds running at once (test files each build
 * dist/) write the same files and never delete one another's.
 */
export function splitCommonJsBuild(options, { outdir, metafile }) {
  mkdirSync(path.dirname(metafile), { recursive: true });
  const staging = mkdtempSync(path.join(path.dirname(metafile), 'split-'));
  return {
    ...options,
    format: 'esm',
    splitting: true,
    outdir: staging,
    chunkNames: `${CHUNKS_FOLDER}/[name]-[hash]`,
    metafile: true,
    plugins: [...(options.plugins ?? []), toCommonJs({ outdir, staging, metafile, options })],
  };
}

function toCommonJs({ outdir, staging, metafile, options }) {
  return {
    name: 'split-to-commonjs',
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0) return rmSync(staging, { recursive: true, force: true });
        const graph = relativeTo(result.metafile, path.relative(process.cwd(), staging));
        const files = Object.keys(graph.outputs).filter((file) => file.endsWith('.js'));
        // Not bundling: each file keeps its requires; the staged source map is read and chained.
        await esbuild.build({
          entryPoints: files.map((file) => ({ in: path.join(staging, file), out: file.replace(/\.js$/, '') })),
          outdir,
          bundle: false,
          platform: 'node',
          target: options.target,
          format: 'cjs',
          // `import()` of a chunk becomes a require() inside a promise: loaded on first use, in this process.
          supported: { 'dynamic-import': false },
          minify: options.minify,
          sourcemap: options.sourcemap,
          legalComments: 'none',
          logLevel: 'warning',
        });
        rmSync(staging, { recursive: true, force: true });
        for (const file of commonJsPackageChunks(graph)) exportNodeNamespace(path.join(outdir, file));
        mkdirSync(path.join(outdir, CHUNKS_FOLDER), { recursive: true });
        const kept = new Set(files.flatMap((file) => [file, `${file}.map`]));
        for (const name of readdirSync(path.join(outdir, CHUNKS_FOLDER)))
          if (!kept.has(`${CHUNKS_FOLDER}/${name}`)) rmSync(path.join(outdir, CHUNKS_FOLDER, name), { force: true });
        const temporary = `${metafile}.${process.pid}`;
        writeFileSync(temporary, JSON.stringify(graph));
        renameSync(temporary, metafile);
      });
    },
  };
}

/**
 * An ES module's `import()` of a CommonJS package (proper-lockfile, ajv) gets only `default` from
 * the chunk esbuild makes of it, where Node, vitest and a one-file bundle give its named exports too
 * (`lockfile.lock`). Such a chunk exports the package's own `module.exports` instead: the importer's
 * interop then gives both, as Node does.
 */
function exportNodeNamespace(file) {
  const code = readFileSync(file, 'utf8');
  const map = code.lastIndexOf('\n//# sourceMappingURL=');
  const end = map === -1 ? code.length : map;
  writeFileSync(file, `${code.slice(0, end)}\nmodule.exports = module.exports.default;${code.slice(end)}`);
}

/** The chunks that hold a CommonJS package a dynamic `import()` loads. */
export function commonJsPackageChunks(graph) {
  return Object.entries(graph.outputs)
    .filter(
      ([, output]) => output.entryPoint?.includes('node_modules/') && graph.inputs[output.entryPoint]?.format === 'cjs',
    )
    .map(([file]) => file);
}

/** The metafile with output paths relative to the output folder (`extension.js`, `chunks/…`). */
function relativeTo(metafile, folder) {
  const strip = (file) => path.relative(folder, file).split(path.sep).join('/');
  const outputs = Object.fromEntries(
    Object.entries(metafile.outputs).map(([file, output]) => [
      strip(file),
      {
        ...output,
        imports: output.imports.map((imported) =>
          imported.external ? imported : { ...imported, path: strip(imported.path) },
        ),
      },
    ]),
  );
  return { inputs: metafile.inputs, outputs };
}

/**
 * The bundle files (relative to their folder) that requiring `entry` loads before anything is
 * awaited or called: the entry and the chunks it imports statically, transitively.
 */
export function staticClosure(metafile, entry) {
  const outputs = metafile.outputs;
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]?.imports ?? [])
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  return [...seen];
}

/** The chunk a dynamic `import()` of `source` (a path relative to the project) starts loading. */
export function chunkOf(metafile, source) {
  return Object.entries(metafile.outputs).find(([, output]) => output.entryPoint === source)?.[0];
}

/** The chunk graph the last build wrote to `file` (EXTENSION_METAFILE). */
export function readMetafile(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
