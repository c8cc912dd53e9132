import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { x as extract } from 'tar';
import { EngineError } from '@jan/core';
import { downloadTarball, type DownloadProgress } from './download';
import { DEFAULT_REGISTRY, packageDist, type PackageDist } from './registry';

export interface BackendPlan {
  packages: PackageDist[];
  /** What the download costs, shown before the user is asked. */
  totalBytes: number;
}

/**
 * GPU backends fetched on demand: node-llama-cpp's prebuilt packages (CUDA) from the npm registry
 * into `folder` (the extension's global storage), laid out as `node_modules/@node-llama-cpp/<name>`
 * so the worker finds them (worker/backend-packages.ts). A package is placed only once its
 * tarball matched the registry's sha512 and its manifest names the package and version asked for.
 */
export class BackendInstaller {
  constructor(
    readonly folder: string,
    private readonly registry = DEFAULT_REGISTRY,
  ) {}

  /** Whether every package is installed at this version. */
  async installed(names: string[], version: string): Promise<boolean> {
    for (const name of names) {
      const manifest = await readManifest(this.packageFolder(name));
      if (manifest?.name !== name || manifest.version !== version) return false;
    }
    return names.length > 0;
  }

  /** The registry's answer for each package and the total download size; nothing is downloaded. */
  async plan(names: string[], version: string, signal?: AbortSignal): Promise<BackendPlan> {
    const packages = await Promise.all(names.map((name) => packageDist(this.registry, name, version, signal)));
    return { packages, totalBytes: packages.reduce((sum, entry) => sum + entry.sizeBytes, 0) };
  }

  /** Downloads (resuming what an earlier try kept), verifies and places every package of the plan. */
  async install(
    plan: BackendPlan,
    options: { signal?: AbortSignal; onProgress?(progress: DownloadProgress): void } = {},
  ): Promise<void> {
    const downloads = path.join(this.folder, '.downloads');
    await mkdir(downloads, { recursive: true });
    let done = 0;
    for (const dist of plan.packages) {
      const file = path.join(downloads, `${dist.name.replace('/', '+')}-${dist.version}.tgz`);
      if (!existsSync(file)) {
        await downloadTarball(dist, file, {
          signal: options.signal,
          onProgress: ({ receivedBytes }) =>
            options.onProgress?.({ receivedBytes: done + receivedBytes, totalBytes: plan.totalBytes }),
        });
      }
      await this.place(dist, file);
      await rm(file, { force: true });
      done += dist.sizeBytes;
    }
  }

  private packageFolder(name: string): string {
    return path.join(this.folder, 'node_modules', ...name.split('/'));
  }

  /** Unpacks aside (files and folders only; no links, no path outside), checks the manifest, then swaps it in. */
  private async place(dist: PackageDist, file: string): Promise<void> {
    const staging = path.join(this.folder, '.staging', dist.name.replace('/', '+'));
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await extract({
      file,
      cwd: staging,
      strip: 1,
      filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory'),
    });
    const manifest = await readManifest(staging);
    if (manifest?.name !== dist.name || manifest.version !== dist.version) {
      await rm(staging, { recursive: true, force: true });
      throw new EngineError(
        'REMOTE_ERROR',
        `The package downloaded for ${dist.name}@${dist.version} is ${manifest ? `${manifest.name}@${manifest.version}` : 'not a package'}; nothing was installed.`,
      );
    }
    const target = this.packageFolder(dist.name);
    await mkdir(path.dirname(target), { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  }
}

async function readManifest(folder: string): Promise<{ name?: unknown; version?: unknown } | undefined> {
  try {
    return JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
  } catch {
    return undefined;
  }
}
