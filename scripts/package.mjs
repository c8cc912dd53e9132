// `npm run package [-- --target linux-x64] [-- --out file.vsix]`: a platform-specific .vsix that
// carries node-llama-cpp with only the target's binaries: the CPU build, and on Linux and Windows
// x64 the Vulkan build too (NVIDIA, AMD and Intel GPUs; node-llama-cpp falls back to the CPU
// without a Vulkan driver). CUDA (~540 MB) is not shipped: Jan: Download CUDA Backend fetches it
// on demand (extensions/llamacpp/backends/). The file list is checked before anything is written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import vsce from '@vscode/vsce';
import { EXTENSION_METAFILE, readMetafile } from '../build-split.mjs';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const outDir = path.join(projectRoot, 'out', 'package');

/** vsce target -> the @node-llama-cpp prebuilt packages it ships: CPU (Metal on Apple silicon), and Vulkan where node-llama-cpp has it. */
export const LLAMA_BINARIES = {
  'linux-x64': ['linux-x64', 'linux-x64-vulkan'],
  'linux-arm64': ['linux-arm64'],
  'linux-armhf': ['linux-armv7l'],
  'darwin-x64': ['mac-x64'],
  'darwin-arm64': ['mac-arm64-metal'],
  'win32-x64': ['win-x64', 'win-x64-vulkan'],
  'win32-arm64': ['win-arm64'],
};

/** Top-level entries a .vsix may hold; anything else is a leak into the package. */
const SHIPPED = ['dist/', 'media/', 'node_modules/', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];

export function currentTarget() {
  const arch = process.arch === 'arm' ? 'armhf' : process.arch;
  return `${process.platform}-${arch}`;
}

function parseArgs(argv) {
  const options = {};
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = argv[index].split('=', 2);
    const value = () => inline ?? argv[++index];
    if (flag === '--target') options.target = value();
    else if (flag === '--out') options.out = path.resolve(value());
    else if (flag === '--no-build') options.build = false;
    else
      throw new Error(
        `Unknown argument ${argv[index]}. Usage: npm run package -- [--target ${Object.keys(LLAMA_BINARIES).join('|')}] [--out file.vsix] [--no-build]`,
      );
  }
  return options;
}

/** The files of a list that are outside what the package ships. */
export function strayFiles(files) {
  return files.filter(
    (file) => !SHIPPED.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry)),
  );
}

/**
 * Fails with the list of offending files, so a new top-level folder or another GPU's binaries never
 * ship by accident. `bundleFiles`: the extension's chunks the build wrote (build-split.mjs), each
 * of which must ship: a chunk left out fails only when its feature is first used.
 */
export function checkPackagedFiles(files, binaryPackages, bundleFiles = []) {
  const problems = [];
  const missingChunks = bundleFiles.filter((file) => !files.includes(file));
  if (missingChunks.length > 0)
    problems.push(`missing the extension's chunks: ${missingChunks.slice(0, 5).join(', ')}`);
  const leaked = strayFiles(files);
  if (leaked.length > 0)
    problems.push(
      `files outside ${SHIPPED.join(', ')} (add them to .vscodeignore):\n  ${leaked.slice(0, 20).join('\n  ')}`,
    );
  for (const required of [
    'dist/extension.js',
    'dist/llamacpp-worker.mjs',
    'package.json',
    'node_modules/node-llama-cpp/package.json',
    'node_modules/node-llama-cpp/dist/index.js',
  ]) {
    if (!files.includes(required)) problems.push(`missing ${required}`);
  }
  const prefixes = binaryPackages.map((binaryPackage) => `node_modules/@node-llama-cpp/${binaryPackage}/`);
  for (const prefix of prefixes) {
    if (!files.some((file) => file.startsWith(`${prefix}bins/`)))
      problems.push(`missing the llama.cpp binaries in ${prefix}bins/`);
  }
  const otherBinaries = [
    ...new Set(
      files
        .filter(
          (file) =>
            file.startsWith('node_modules/@node-llama-cpp/') && !prefixes.some((prefix) => file.startsWith(prefix)),
        )
        .map((file) => file.split('/').slice(0, 3).join('/')),
    ),
  ];
  if (otherBinaries.length > 0) problems.push(`binaries of other platforms or GPUs: ${otherBinaries.join(', ')}`);
  if (problems.length > 0) throw new Error(`The package would be wrong:\n- ${problems.join('\n- ')}`);
}

/**
 * vsce warns "you should bundle your extension" past 100 JavaScript files. Jan's own code is
 * bundled (dist/); the rest is node-llama-cpp's runtime, which loads its native binaries and
 * worker files by path and so ships as files. Says so, or nothing when vsce did not warn.
 */
export function bundlingWarningNote(files) {
  const javascript = files.filter((file) => file.toLowerCase().endsWith('.js'));
  if (files.length <= 5000 && javascript.length <= 100) return undefined;
  const ours = javascript.filter((file) => file.startsWith('dist/')).length;
  return (
    `note: vsce's "you should bundle your extension" warning above is expected. Jan's own code is bundled (${ours} files in dist/); ` +
    `the other ${javascript.length - ours} JavaScript files are node-llama-cpp's runtime, which loads its native binaries by path and cannot be bundled.`
  );
}

/** Builds (production bundles into dist/), checks the file list and writes the .vsix. */
export async function packageExtension({ target = currentTarget(), out, build = true, log = console.log } = {}) {
  const binaryPackages = LLAMA_BINARIES[target];
  if (!binaryPackages)
    throw new Error(
      `No node-llama-cpp binaries for target "${target}"; supported: ${Object.keys(LLAMA_BINARIES).join(', ')}`,
    );
  const missing = binaryPackages.filter(
    (binaryPackage) => !existsSync(path.join(projectRoot, 'node_modules', '@node-llama-cpp', binaryPackage)),
  );
  if (missing.length > 0) {
    const { version } = JSON.parse(
      readFileSync(path.join(projectRoot, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8'),
    );
    throw new Error(
      `${missing.map((name) => `@node-llama-cpp/${name}`).join(' and ')} not installed (npm installs only this machine's binaries). ` +
        `For a cross-platform package run: npm install --no-save --force ${missing.map((name) => `@node-llama-cpp/${name}@${version}`).join(' ')}`,
    );
  }
  if (build) {
    const result = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: projectRoot, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`The production build failed (exit ${result.status ?? result.signal})`);
  }
  mkdirSync(outDir, { recursive: true });
  const ignoreFile = path.join(outDir, `vscodeignore-${target}`);
  writeFileSync(
    ignoreFile,
    `${readFileSync(path.join(projectRoot, '.vscodeignore'), 'utf8')}\n${binaryPackages.map((binaryPackage) => `!node_modules/@node-llama-cpp/${binaryPackage}/**`).join('\n')}\n`,
  );

  const common = { cwd: projectRoot, ignoreFile, packageManager: vsce.PackageManager.Npm };
  const files = (await vsce.listFiles(common)).map((file) => file.replaceAll('\\', '/'));
  const metafile = path.join(projectRoot, EXTENSION_METAFILE);
  if (!existsSync(metafile)) throw new Error(`${EXTENSION_METAFILE} is missing: build first (drop --no-build).`);
  const chunks = Object.keys(readMetafile(metafile).outputs)
    .filter((file) => file.endsWith('.js'))
    .map((file) => `dist/${file}`);
  checkPackagedFiles(files, binaryPackages, chunks);

  const { name, version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const packagePath = out ?? path.join(outDir, `${name}-${target}-${version}.vsix`);
  const started = Date.now();
  await vsce.createVSIX({ ...common, target, packagePath, useYarn: false, dependencies: true });
  const sizeBytes = statSync(packagePath).size;
  const note = bundlingWarningNote(files);
  if (note) log(note);
  log(
    `packaged ${packagePath}: ${files.length} files, ${(sizeBytes / 1024 / 1024).toFixed(1)} MiB (target ${target}, binaries ${binaryPackages.map((name) => `@node-llama-cpp/${name}`).join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { vsix: packagePath, sizeBytes, files, target };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  packageExtension(parseArgs(process.argv.slice(2))).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
