import { describe, expect, it } from 'vitest';
import { BaseExtension, ExtensionManager, ExtensionType, JanCore, MemoryLogger } from '@jan/core';
import type { CoreContext } from '@jan/core';

class Recording extends BaseExtension {
  constructor(
    name: string,
    core: CoreContext,
    private readonly kind: ExtensionType,
    private readonly journal: string[],
    private readonly failOn?: 'load' | 'unload',
  ) {
    super(name, core);
  }
  type(): ExtensionType {
    return this.kind;
  }
  onLoad(): void {
    if (this.failOn === 'load') throw new Error(`${this.name} cannot load`);
    this.journal.push(`load ${this.name}`);
  }
  override async onUnload(): Promise<void> {
    if (this.failOn === 'unload') throw new Error(`${this.name} cannot unload`);
    this.journal.push(`unload ${this.name}`);
  }
}

function setup() {
  const logger = new MemoryLogger();
  const core = new JanCore({ janFolder: '/tmp/none', modelsFolder: '/tmp/none', logger });
  return { logger, core, context: core.context };
}

describe('ExtensionManager', () => {
  it('loads in order and unloads in reverse', async () => {
    const { context, logger } = setup();
    const journal: string[] = [];
    const manager = new ExtensionManager(logger);
    manager.register(new Recording('a', context, ExtensionType.Conversational, journal));
    manager.register(new Recording('b', context, ExtensionType.Assistant, journal));
    manager.register(new Recording('c', context, ExtensionType.Model, journal));
    expect(await manager.loadAll()).toEqual([]);
    await manager.unloadAll();
    expect(journal).toEqual(['load a', 'load b', 'load c', 'unload c', 'unload b', 'unload a']);
  });

  it('reports a failing extension and still loads and unloads the others', async () => {
    const { context, logger } = setup();
    const journal: string[] = [];
    const manager = new ExtensionManager(logger);
    manager.register(new Recording('a', context, ExtensionType.Conversational, journal));
    const broken = new Recording('broken', context, ExtensionType.Assistant, journal, 'load');
    manager.register(broken);
    manager.register(new Recording('c', context, ExtensionType.Model, journal, 'unload'));
    const failures = await manager.loadAll();
    expect(failures).toEqual([{ name: 'broken', phase: 'load', error: 'broken cannot load' }]);
    const unloadFailures = await manager.unloadAll();
    expect(unloadFailures.map((failure) => failure.name)).toEqual(['c']);
    expect(journal).toEqual(['load a', 'load c', 'unload a']);
    expect(logger.messages('error')).toHaveLength(2);
  });

  it('still unloads every extension when the host can no longer log (VS Code closing the window)', async () => {
    const closed = () => {
      throw new Error('Channel has been closed');
    };
    const core = new JanCore({
      janFolder: '/tmp/none',
      modelsFolder: '/tmp/none',
      logger: { debug: closed, info: closed, warn: closed, error: closed },
    });
    const journal: string[] = [];
    core.register(
      new Recording('a', core.context, ExtensionType.Conversational, journal),
      new Recording('c', core.context, ExtensionType.Model, journal, 'unload'),
    );
    expect(await core.start()).toEqual([]);
    await core.stop();
    expect(journal).toEqual(['load a', 'load c', 'unload a']);
  });

  it('refuses two extensions with one name', () => {
    const { context, logger } = setup();
    const manager = new ExtensionManager(logger);
    manager.register(new Recording('a', context, ExtensionType.Model, []));
    expect(() => manager.register(new Recording('a', context, ExtensionType.Model, []))).toThrow(/already registered/);
  });

  it('keeps settings an extension registers and lets them be updated', () => {
    const { context } = setup();
    const extension = new Recording('a', context, ExtensionType.Model, []);
    extension.registerSettings([{ key: 'threads', title: 'Threads', description: 'CPU threads', value: 2 }]);
    expect(extension.getSetting('threads', 0)).toBe(2);
    extension.updateSettings({ threads: 4, unknown: 1 });
    expect(extension.getSetting('threads', 0)).toBe(4);
    expect(extension.getSettings().map((setting) => setting.key)).toEqual(['threads']);
  });
});
