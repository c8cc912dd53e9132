import { ApiActivity, JAN_CALLER, registrationsFor } from './api';
import { AssistantSourceRegistry } from './assistant-sources';
import { ContextSourceRegistry } from './context';
import { EngineRegistry } from './engines';
import { EventBus } from './events';
import type { BaseExtension, CoreContext, ExtensionFailure } from './extension';
import { ExtensionManager } from './extension';
import type { Logger } from './logger';
import { redactingLogger } from './redact';
import { ToolRegistry } from './tools';

export interface CoreOptions {
  janFolder: string;
  modelsFolder: string;
  logger: Logger;
}

/**
 * The assembled Core SDK: one event bus, one engine registry and one extension manager over
 * one `.jan` folder. The VS Code adapter and the headless Node entry both build it this way.
 */
export class JanCore {
  readonly context: CoreContext;
  readonly extensions: ExtensionManager;

  constructor(options: CoreOptions) {
    // Every line any extension logs passes the one redaction (src/core/redact.ts).
    const logger = redactingLogger(options.logger);
    const registries = {
      engines: new EngineRegistry(),
      tools: new ToolRegistry(),
      contextSources: new ContextSourceRegistry(),
      assistantSources: new AssistantSourceRegistry(),
      activity: new ApiActivity(),
      logger,
    };
    this.context = {
      janFolder: options.janFolder,
      modelsFolder: options.modelsFolder,
      events: new EventBus(logger),
      ...registries,
      api: registrationsFor(registries, JAN_CALLER),
    };
    this.extensions = new ExtensionManager(logger);
    const { engines, events } = this.context;
    engines.onDidChange(() => events.emit('OnEnginesChanged', { engines: engines.all().map((engine) => engine.id) }));
  }

  get events(): EventBus {
    return this.context.events;
  }

  get engines(): EngineRegistry {
    return this.context.engines;
  }

  get tools(): ToolRegistry {
    return this.context.tools;
  }

  register(...extensions: BaseExtension[]): this {
    for (const extension of extensions) this.extensions.register(extension);
    return this;
  }

  /** Loads every extension; the ones that failed are returned (and logged), the rest run. */
  async start(): Promise<ExtensionFailure[]> {
    return this.extensions.loadAll();
  }

  async stop(): Promise<void> {
    await this.extensions.unloadAll();
    this.context.events.clear();
  }
}
