import { BaseExtension, ExtensionType, errorMessage } from '@jan/core';
import type { CoreContext, Disposable } from '@jan/core';
import { isLoopback, type RemoteEngineDefinition } from './definition';
import { RemoteEngine } from './engine';

/** A definition and where it came from: a workspace's settings are not the user's own word. */
export interface RemoteEngineSource {
  definition: RemoteEngineDefinition;
  fromWorkspace: boolean;
}

export interface RemoteExtensionOptions {
  /** The API key of an engine, by engine id (VS Code: SecretStorage); undefined when it has none. */
  apiKey(engineId: string): Promise<string | undefined>;
  /**
   * Asked before the first request to a server that a workspace defined and that is not on this
   * machine; the answer is the caller's to remember. Without it such servers are refused.
   */
  allowWorkspaceServer?(definition: RemoteEngineDefinition): Promise<boolean>;
}

/**
 * The remote engines extension: one RemoteEngine per definition, registered (`registerEngine`, the
 * public API's call) while the extension is loaded. `setEngines` replaces the set (the settings changed).
 */
export class RemoteEnginesExtension extends BaseExtension {
  private sources: RemoteEngineSource[] = [];
  private readonly running = new Map<
    string,
    { engine: RemoteEngine; source: RemoteEngineSource; registration: Disposable }
  >();
  private loaded = false;

  constructor(
    core: CoreContext,
    private readonly options: RemoteExtensionOptions,
  ) {
    super('remote', core);
  }

  type(): ExtensionType {
    return ExtensionType.Engine;
  }

  onLoad(): void {
    this.loaded = true;
    this.apply();
  }

  override onUnload(): void {
    this.loaded = false;
    for (const entry of this.running.values()) entry.registration.dispose();
    this.running.clear();
  }

  /** The engines now defined; a user's definition wins over a workspace's with the same id. */
  setEngines(sources: RemoteEngineSource[]): void {
    const byId = new Map<string, RemoteEngineSource>();
    for (const source of [...sources].sort((a, b) => Number(a.fromWorkspace) - Number(b.fromWorkspace))) {
      if (byId.has(source.definition.id)) continue;
      if (this.core.engines.get(source.definition.id) && !this.running.has(source.definition.id)) {
        this.core.logger.warn(`Remote engine "${source.definition.id}" is ignored: another engine has that id.`);
        continue;
      }
      byId.set(source.definition.id, source);
    }
    this.sources = [...byId.values()];
    if (this.loaded) this.apply();
  }

  engines(): RemoteEngine[] {
    return [...this.running.values()].map((entry) => entry.engine);
  }

  engine(id: string): RemoteEngine | undefined {
    return this.running.get(id)?.engine;
  }

  /** An engine for a definition that is not saved yet ("Test connection" while adding one). */
  probe(definition: RemoteEngineDefinition, key: string | undefined): RemoteEngine {
    return new RemoteEngine({ definition, apiKey: async () => key, logger: this.core.logger });
  }

  private apply(): void {
    const wanted = new Map(this.sources.map((source) => [source.definition.id, source]));
    for (const [id, entry] of this.running) {
      const source = wanted.get(id);
      if (source && JSON.stringify(source) === JSON.stringify(entry.source)) continue;
      entry.registration.dispose();
      this.running.delete(id);
    }
    for (const [id, source] of wanted) {
      if (this.running.has(id)) continue;
      const engine = this.create(source);
      try {
        this.running.set(id, { engine, source, registration: this.core.api.registerEngine(engine) });
      } catch (error) {
        this.core.logger.warn(`Remote engine "${id}" is ignored: ${errorMessage(error)}`);
      }
    }
  }

  private create(source: RemoteEngineSource): RemoteEngine {
    const { definition } = source;
    const ask = source.fromWorkspace && !isLoopback(definition.baseUrl);
    const allow = this.options.allowWorkspaceServer;
    return new RemoteEngine({
      definition,
      apiKey: () => this.options.apiKey(definition.id),
      allowUse: ask ? () => (allow ? allow(definition) : Promise.resolve(false)) : undefined,
      logger: this.core.logger,
    });
  }
}
