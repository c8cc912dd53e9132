import { describe, expect, it } from 'vitest';
import { ToolRegistry, type JanTool } from '@jan/core';

const tool = (name: string): JanTool => ({
  definition: { name, description: `${name} tool`, parameters: { type: 'object', properties: {} } },
  effect: 'read',
  source: 'test',
  invoke: async () => ({ content: name }),
});

describe('ToolRegistry', () => {
  it('lists what is registered, refuses a second tool with the same name, and tells listeners', () => {
    const registry = new ToolRegistry();
    let changes = 0;
    registry.onDidChange(() => changes++);
    const first = tool('read_file');
    registry.register(first);
    expect(() => registry.register(tool('read_file'))).toThrow(/already registered/);
    expect(registry.get('read_file')).toBe(first);
    expect(registry.all().map((t) => t.definition.name)).toEqual(['read_file']);
    expect(changes).toBe(1);
  });

  it('disposing removes exactly the tool it registered, once', () => {
    const registry = new ToolRegistry();
    const first = registry.register(tool('search'));
    first.dispose();
    const second = tool('search');
    registry.register(second);
    first.dispose();
    expect(registry.get('search')).toBe(second);
  });
});
