/**
 * The global models folder, Jan 0.5 layout: `<root>/<model-id>/model.json` next to its GGUF.
 * Folders whose name starts with a dot (partial downloads) and folders without model.json are
 * not models. A bad model.json is skipped with a warning and never rewritten.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Model, StoreWarning } from '@jan/core';
import {
  DEFAULT_ENGINE,
  JSON_FILE_CAP,
  errorMessage,
  nameTaken,
  portableName,
  readRegularFile,
  withNamesLock,
  writeFileAtomic,
} from '@jan/core';
import { ModelError } from './errors';
import { idCandidates, isValidModelId } from './model-id';
import { parseModelJson, rewriteModelJson, serializeModel } from './model-json';

export const MODEL_JSON = 'model.json';

export interface StoredModel {
  model: Model;
  /** The folder that holds model.json. */
  folder: string;
  /** Absolute path of the GGUF, for llama.cpp models. */
  filePath?: string;
}

export interface StoreListing {
  entries: StoredModel[];
  warnings: StoreWarning[];
}

/**
 * Where a model's GGUF is: `settings.llama_model_path` (absolute for a file imported in place,
 * else relative to the folder), or the first source's file name. A relative path that leaves
 * the folder is refused: model.json must not point deletes or loads outside its folder by `..`.
 */
export function resolveModelFile(model: Model, folder: string): string | { error: string } | undefined {
  const relative = model.settings.llama_model_path ?? model.sources[0]?.filename;
  if (!relative) return undefined;
  if (path.isAbsolute(relative)) return path.normalize(relative);
  const resolved = path.resolve(folder, relative);
  if (!resolved.startsWith(folder + path.sep))
    return { error: `the model path ${JSON.stringify(relative)} leaves the model folder` };
  return resolved;
}

export class ModelStore {
  constructor(readonly root: string) {}

  folderOf(id: string): string {
    return path.join(this.root, id);
  }

  /** model.json of `folder`: a regular file only (a FIFO would block, a device never end), at most 16 MB. */
  private async readEntry(folder: string): Promise<StoredModel | StoreWarning | undefined> {
    const file = path.join(folder, MODEL_JSON);
    let text: Buffer;
    try {
      text = await readRegularFile(file, JSON_FILE_CAP);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      return { path: file, message: `cannot be read: ${errorMessage(error)}` };
    }
    const parsed = parseModelJson(text);
    if (!parsed.ok) return { path: file, message: `skipped: ${parsed.error}` };
    const model = parsed.model;
    const filePath = resolveModelFile(model, folder);
    if (typeof filePath === 'object') return { path: file, message: `skipped: ${filePath.error}` };
    if (!filePath && model.engine === DEFAULT_ENGINE) {
      return { path: file, message: 'skipped: no settings.llama_model_path and no sources to find its GGUF file' };
    }
    return { model, folder, filePath };
  }

  /** Every model, sorted by name. Reads only model.json files. */
  async list(): Promise<StoreListing> {
    let names: string[];
    try {
      names = (await readdir(this.root, { withFileTypes: true }))
        .filter((entry) => (entry.isDirectory() || entry.isSymbolicLink()) && !entry.name.startsWith('.'))
        .map((entry) => entry.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], warnings: [] };
      throw error;
    }
    const results = await Promise.all(names.map((name) => this.readEntry(path.join(this.root, name))));
    const entries: StoredModel[] = [];
    const warnings: StoreWarning[] = [];
    const seen = new Map<string, string>();
    // When two folders declare one id, the folder named after the id is the real one.
    const ownFolderFirst = (result: StoredModel | StoreWarning | undefined) =>
      result && 'model' in result && path.basename(result.folder) === result.model.id ? 0 : 1;
    results.sort((a, b) => ownFolderFirst(a) - ownFolderFirst(b));
    for (const result of results) {
      if (!result) continue;
      if ('message' in result) {
        warnings.push(result);
        continue;
      }
      const first = seen.get(result.model.id);
      if (first) {
        warnings.push({
          path: path.join(result.folder, MODEL_JSON),
          message: `skipped: id "${result.model.id}" is already used by ${first}`,
        });
        continue;
      }
      seen.set(result.model.id, result.folder);
      entries.push(result);
    }
    entries.sort((a, b) => a.model.name.localeCompare(b.model.name));
    return { entries, warnings };
  }

  /** The model with this id; its own folder is tried before listing every folder. */
  async find(id: string): Promise<StoredModel | undefined> {
    if (!isValidModelId(id)) return undefined;
    const direct = await this.readEntry(this.folderOf(id));
    if (direct && 'model' in direct && direct.model.id === id) return direct;
    return (await this.list()).entries.find((entry) => entry.model.id === id);
  }

  /**
   * Creates a new, empty folder for a model whose id starts from `baseId`. The id is free, in any
   * case, both as a folder name and among the ids model.json files declare (the one folder-name
   * rule, src/core/store/folder-names.ts), checked and made under the folder's names lock so two
   * imports or downloads at once (here or in another window) cannot both take it; an existing
   * folder (even one with a broken model.json) is never reused, so no user file is overwritten.
   */
  async createFolder(baseId: string): Promise<{ id: string; folder: string }> {
    if (!isValidModelId(portableName(baseId)))
      throw new ModelError('INVALID_ID', `"${baseId}" cannot be a model id (a folder name).`);
    await mkdir(this.root, { recursive: true });
    return withNamesLock(this.root, async () => {
      const taken = [...(await readdir(this.root)), ...(await this.list()).entries.map((entry) => entry.model.id)];
      for (const id of idCandidates(baseId)) {
        if (nameTaken(taken, id)) continue;
        const folder = this.folderOf(id);
        try {
          await mkdir(folder);
          return { id, folder };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
      throw new Error('unreachable');
    });
  }

  async writeModel(folder: string, model: Model): Promise<void> {
    await writeFileAtomic(path.join(folder, MODEL_JSON), serializeModel(model));
  }

  /** Changes an existing model.json in place, writing only what `change` changed (rewriteModelJson). */
  async updateModel(folder: string, change: (model: Model) => Model): Promise<Model> {
    const file = path.join(folder, MODEL_JSON);
    const result = rewriteModelJson(await readRegularFile(file, JSON_FILE_CAP), change);
    if (!result.ok) throw new Error(`${file} was left as it is: ${result.error}`);
    await writeFileAtomic(file, result.text);
    return result.model;
  }

  /** Removes a model folder; refuses anything that is not a direct child of the models folder. */
  async removeFolder(folder: string): Promise<void> {
    const resolved = path.resolve(folder);
    if (path.dirname(resolved) !== path.resolve(this.root) || resolved === path.resolve(this.root)) {
      throw new Error(`Refusing to delete ${resolved}: it is not a model folder in ${this.root}`);
    }
    await rm(resolved, { recursive: true, force: true });
  }
}
