import type { ApiActivity, JanRegistrations } from './api';
import type { AssistantSourceRegistry } from './assistant-sources';
import type { ContextSourceRegistry } from './context';
import type { EngineRegistry } from './engines';
import type { EventBus } from './events';
import type { Logger } from './logger';
import type { ToolRegistry } from './tools';
import { errorMessage } from './logger';

export enum ExtensionType {
  Conversational = 'conversational',
  Assistant = 'assistant',
  Model = 'model',
  Engine = 'engine',
  /** Offers tools to the agent (built-in workspace tools, MCP servers). */
  Tools = 'tools',
}

/** A setting an extension exposes (Jan's SettingComponentProps, trimmed). */
export interface ExtensionSetting {
  key: string;
  title: string;
  description: string;
  value: string | number | boolean;
}

/** What the core hands to every extension: it never reaches for globals. */
export interface CoreContext {
  /** Root of the `.jan` folder for this workspace. */
  janFolder: string;
  /** Global folder that holds `model.json` + GGUF files. */
  modelsFolder: string;
  events: EventBus;
  engines: EngineRegistry;
  /** Tools the agent may offer a model; every source (built-in, MCP, other extensions) registers here. */
  tools: ToolRegistry;
  /** The chat's `@` sources. */
  contextSources: ContextSourceRegistry;
  /** Assistants other extensions offer. */
  assistantSources: AssistantSourceRegistry;
  /** Who registered and used what through the public API. */
  activity: ApiActivity;
  /**
   * The public API's registration calls, as Jan (docs/EXTENDING.md): built-in extensions add their
   * engines, tools and sources with these, the same calls another extension makes.
   */
  api: JanRegistrations;
  logger: Logger;
}

/** Jan's BaseExtension: a named unit that loads, unloads and may expose settings. */
export abstract class BaseExtension {
  private settingsValues = new Map<string, ExtensionSetting>();

  constructor(
    readonly name: string,
    protected readonly core: CoreContext,
  ) {}

  abstract type(): ExtensionType;
  abstract onLoad(): Promise<void> | void;
  onUnload(): Promise<void> | void {}

  registerSettings(settings: ExtensionSetting[]): void {
    for (const setting of settings) {
      if (!this.settingsValues.has(setting.key)) this.settingsValues.set(setting.key, { ...setting });
    }
  }

  getSettings(): ExtensionSetting[] {
    return [...this.settingsValues.values()].map((setting) => ({ ...setting }));
  }

  getSetting<T extends ExtensionSetting['value']>(key: string, fallback: T): T {
    const setting = this.settingsValues.get(key);
    return setting === undefined ? fallback : (setting.value as T);
  }

  updateSettings(values: Record<string, ExtensionSetting['value']>): void {
    for (const [key, value] of Object.entries(values)) {
      const setting = this.settingsValues.get(key);
      if (setting) setting.value = value;
    }
  }
}

export interface ExtensionFailure {
  name: string;
  phase: 'load' | 'unload';
  error: string;
}

/**
 * Registers extensions, loads all in order and unloads in reverse.
 * One failing extension is reported and does not stop the others.
 */
export class ExtensionManager {
  private readonly extensions: BaseExtension[] = [];
  private readonly loaded = new Set<BaseExtension>();

  constructor(private readonly logger: Logger) {}

  register(extension: BaseExtension): void {
    if (this.extensions.some((existing) => existing.name === extension.name)) {
      throw new Error(`An extension named "${extension.name}" is already registered`);
    }
    this.extensions.push(extension);
  }

  async loadAll(): Promise<ExtensionFailure[]> {
    const failures: ExtensionFailure[] = [];
    for (const extension of this.extensions) {
      if (this.loaded.has(extension)) continue;
      try {
        await extension.onLoad();
        this.loaded.add(extension);
      } catch (error) {
        failures.push(this.fail(extension, 'load', error));
      }
    }
    return failures;
  }

  async unloadAll(): Promise<ExtensionFailure[]> {
    const failures: ExtensionFailure[] = [];
    for (const extension of [...this.extensions].reverse()) {
      if (!this.loaded.has(extension)) continue;
      this.loaded.delete(extension);
      try {
        await extension.onUnload();
      } catch (error) {
        failures.push(this.fail(extension, 'unload', error));
      }
    }
    return failures;
  }

  private fail(extension: BaseExtension, phase: 'load' | 'unload', error: unknown): ExtensionFailure {
    const failure = { name: extension.name, phase, error: errorMessage(error) };
    this.logger.error(`Extension "${extension.name}" failed to ${phase}: ${failure.error}`);
    return failure;
  }
}
