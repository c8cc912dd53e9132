import { describe, expect, it } from 'vitest';
import { EngineRegistry, JanCore, MemoryLogger, type CoreEvents } from '@jan/core';
import { ScriptedEngine } from '../../support/scripted-engine';

const settled = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('EngineRegistry', () => {
  it('tells once per burst: an engine replaced (its server moved) is one change, not two', async () => {
    const registry = new EngineRegistry();
    let changes = 0;
    registry.onDidChange(() => void changes++);
    registry.register(new ScriptedEngine({ id: 'gpu-box' }));
    registry.unregister('gpu-box');
    registry.register(new ScriptedEngine({ id: 'gpu-box', runsOn: { kind: 'remote', host: 'gpu-box:8000' } }));
    await settled();
    expect(changes).toBe(1);
    expect(registry.get('gpu-box')?.runsOn).toEqual({ kind: 'remote', host: 'gpu-box:8000' });
    registry.unregister('not-there');
    await settled();
    expect(changes).toBe(1);
  });

  it('a registration disposes exactly its engine, never the one that replaced it', async () => {
    const registry = new EngineRegistry();
    const first = registry.register(new ScriptedEngine({ id: 'x' }));
    const replacement = new ScriptedEngine({ id: 'x' });
    const second = registry.register(replacement);
    first.dispose();
    expect(registry.get('x')).toBe(replacement);
    second.dispose();
    expect(registry.get('x')).toBeUndefined();
  });

  it('the core announces changes on its bus as OnEnginesChanged', async () => {
    const core = new JanCore({
      janFolder: '/nonexistent/.jan',
      modelsFolder: '/nonexistent/models',
      logger: new MemoryLogger(),
    });
    const heard: Array<CoreEvents['OnEnginesChanged']> = [];
    core.events.on('OnEnginesChanged', (payload) => void heard.push(payload));
    core.engines.register(new ScriptedEngine({ id: 'a' }));
    core.engines.register(new ScriptedEngine({ id: 'b' }));
    await settled();
    expect(heard).toEqual([{ engines: ['a', 'b'] }]);
  });
});
