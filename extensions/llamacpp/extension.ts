import * as path from 'node:path';
import { BaseExtension, ExtensionType } from '@jan/core';
import type { CoreContext, Disposable, Model, ResolvedModel } from '@jan/core';
import { LlamaCppEngine } from './engine';
import { settingDescriptors, toSettings } from './settings';
import type { LlamaCppSettings } from './settings';

export interface LlamaCppExtensionOptions {
  /** The model with this id and its GGUF path (from the models extension). */
  resolveModel(modelId: string): Promise<ResolvedModel | undefined>;
  listModels?(): Promise<Model[]>;
  /** The bundled worker; default: llamacpp-worker.mjs next to the running bundle. */
  workerPath?: string;
  /** Where GPU backends fetched on demand go; default: `<models folder>/.cache/llamacpp-backends`. */
  backendsFolder?: string;
}

/**
 * The built-in llama.cpp engine extension: registers the engine on load (`registerEngine`, the
 * public API's call) and stops its worker on unload. Its settings (`threads`, `gpu`, `contextSize`, `idleUnloadMinutes`,
 * `transport`) are read before every request, so `updateSettings` applies to the next one.
 */
export class LlamaCppExtension extends BaseExtension {
  readonly engine: LlamaCppEngine;
  private registration: Disposable | undefined;

  constructor(core: CoreContext, options: LlamaCppExtensionOptions) {
    super('llamacpp', core);
    this.registerSettings(settingDescriptors);
    this.engine = new LlamaCppEngine({
      resolveModel: options.resolveModel,
      listModels: options.listModels,
      workerPath: options.workerPath,
      settings: () => this.engineSettings(),
      events: core.events,
      logger: core.logger,
      // Beside the models they were evaluated with, never in the workspace's .jan (a dot folder is not listed as a model).
      stateFolder: path.join(core.modelsFolder, '.cache', 'llamacpp-state'),
      backendsFolder: options.backendsFolder ?? path.join(core.modelsFolder, '.cache', 'llamacpp-backends'),
    });
  }

  type(): ExtensionType {
    return ExtensionType.Engine;
  }

  onLoad(): void {
    this.registration = this.core.api.registerEngine(this.engine);
  }

  override async onUnload(): Promise<void> {
    this.registration?.dispose();
    this.registration = undefined;
    await this.engine.dispose();
  }

  engineSettings(): LlamaCppSettings {
    const values = new Map(this.getSettings().map((setting) => [setting.key, setting.value]));
    return toSettings((key) => values.get(key));
  }
}
