import { ModelExtension, type CoreContext, type Model, type ModelPage, type ResolvedModel } from '@jan/core';
import * as path from 'node:path';
import { CATALOG, findCatalogEntry, type CatalogEntry } from './catalog';
import { readFreeSpace, type FreeSpaceReader } from './disk-space';
import type { DownloaderContext, DownloadOptions, DownloadRequest } from './download-model';
import { ModelError } from './errors';
import type { ImportOptions } from './import-model';
import { isValidModelId } from './model-id';
import { ModelStore, resolveModelFile } from './model-store';

export interface JanModelsOptions {
  /** The bundled download child: `<extension>/dist/model-download.mjs`. */
  downloadWorkerPath: string;
  /** Free-space reader for the disk checks (tests inject one). */
  freeSpace?: FreeSpaceReader;
  /** Hugging Face endpoint for `hf:` URIs (a mirror; tests use a local server). */
  huggingFaceEndpoint?: string;
  /** How long a cancelled download may take to stop before its process is killed. */
  cancelGraceMs?: number;
  /** Waits before each retry of a connection lost mid-transfer (tests shorten them). */
  retryDelaysMs?: readonly number[];
  /** No answer, or no body bytes, for this long is a failure (tests shorten it). */
  stallTimeoutMs?: number;
}

/** Five retries over about half a minute: a blip mid-transfer survives, an outage fails soon. */
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000];
/** A server silent this long (no headers, or no bytes mid-body) has failed; undici alone waits 5 minutes. */
const STALL_TIMEOUT_MS = 20_000;

/**
 * Jan's model extension: a registry of model.json files in the global models folder
 * (`core.modelsFolder`), import of local GGUFs, downloads, delete, and a small catalog.
 * Nothing is read from disk until a method needs it.
 */
export class JanModelsExtension extends ModelExtension {
  private readonly store: ModelStore;
  private readonly downloads: DownloaderContext;
  private readonly freeSpace: FreeSpaceReader;

  constructor(core: CoreContext, options: JanModelsOptions) {
    super('models', core);
    this.store = new ModelStore(core.modelsFolder);
    this.freeSpace = options.freeSpace ?? readFreeSpace;
    this.downloads = {
      store: this.store,
      workerPath: options.downloadWorkerPath,
      freeSpace: this.freeSpace,
      huggingFaceEndpoint: options.huggingFaceEndpoint,
      cancelGraceMs: options.cancelGraceMs ?? 5000,
      retryDelaysMs: options.retryDelaysMs ?? RETRY_DELAYS_MS,
      stallTimeoutMs: options.stallTimeoutMs ?? STALL_TIMEOUT_MS,
      logger: core.logger,
      active: new Set(),
    };
  }

  onLoad(): void {}

  get modelsFolder(): string {
    return this.store.root;
  }

  async listModels(): Promise<ModelPage> {
    const { entries, warnings } = await this.store.list();
    for (const warning of warnings) this.core.logger.warn(`Model ${warning.path} ${warning.message}`);
    return { models: entries.map((entry) => entry.model), warnings };
  }

  async getModel(id: string): Promise<Model | undefined> {
    return (await this.store.find(id))?.model;
  }

  modelFilePath(model: Model): string {
    const file = resolveModelFile(model, this.store.folderOf(model.id));
    return typeof file === 'string' ? file : '';
  }

  async resolveModel(id: string): Promise<ResolvedModel | undefined> {
    const entry = await this.store.find(id);
    return entry?.filePath ? { model: entry.model, filePath: entry.filePath } : undefined;
  }

  /** True when the model uses a file outside its folder (imported in place): deleting keeps that file. */
  async isReferencedInPlace(id: string): Promise<boolean> {
    const entry = await this.store.find(id);
    return !!entry?.filePath && !entry.filePath.startsWith(entry.folder + path.sep);
  }

  /**
   * Removes the model's folder (model.json and a copied or downloaded GGUF). A file the model
   * only referenced in place lives outside that folder and is never touched.
   */
  async deleteModel(id: string): Promise<void> {
    if (!isValidModelId(id)) throw new ModelError('INVALID_ID', `"${id}" is not a valid model id.`);
    const entry = await this.store.find(id);
    if (!entry) throw new ModelError('NOT_FOUND', `There is no model "${id}" in ${this.store.root}.`);
    // A loaded model keeps its file open (Windows then refuses the delete); unloading a model
    // that is not loaded does nothing.
    await this.core.engines.get(entry.model.engine)?.unload(id);
    await this.store.removeFolder(entry.folder);
    await this.announce();
  }

  // Import and download code loads on first use (docs/ARCHITECTURE.md "Activation").
  async importModel(filePath: string, options: ImportOptions): Promise<Model> {
    const { importGguf } = await import('./import-model');
    const model = await importGguf(this.store, this.freeSpace, filePath, options);
    await this.announce();
    return model;
  }

  async downloadModel(request: DownloadRequest, options?: DownloadOptions): Promise<Model> {
    const { downloadGguf } = await import('./download-model');
    const model = await downloadGguf(this.downloads, request, options);
    await this.announce();
    return model;
  }

  /** Downloads a catalog entry, verified against the catalog's sha256. */
  downloadCatalogModel(catalogId: string, options?: DownloadOptions): Promise<Model> {
    const entry = findCatalogEntry(catalogId);
    if (!entry) return Promise.reject(new ModelError('NOT_FOUND', `"${catalogId}" is not in the catalog.`));
    return this.downloadModel(
      {
        uri: entry.uri,
        id: entry.id,
        name: entry.name,
        description: entry.description,
        fileName: entry.fileName,
        sha256: entry.sha256,
        author: entry.author,
        license: entry.license,
        tags: [entry.role, entry.quantization],
      },
      options,
    );
  }

  /** Deletes the partial file an interrupted download of `uri` kept for resuming. */
  async discardDownload(uri: string): Promise<void> {
    const { discardPartialDownload } = await import('./download-model');
    return discardPartialDownload(this.downloads, uri);
  }

  catalog(): readonly CatalogEntry[] {
    return CATALOG;
  }

  private async announce(): Promise<void> {
    this.core.events.emit('OnModelsChanged', (await this.listModels()).models);
  }
}
