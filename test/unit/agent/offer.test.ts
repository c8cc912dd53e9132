import { describe, expect, it } from 'vitest';
import { compactDefinition, offerTools, type JanTool, type ToolEffect } from '@jan/core';

const tool = (
  name: string,
  effect: ToolEffect,
  description = `The ${name} tool.`,
  parameters?: Record<string, unknown>,
): JanTool => ({
  definition: {
    name,
    description,
    parameters: parameters ?? { type: 'object', properties: { path: { type: 'string' } } },
  },
  effect,
  source: 'test',
  invoke: async () => ({ content: '' }),
});

describe('the tools offered for a turn', () => {
  const all = [
    tool('edit_file', 'write'),
    tool('read_file', 'read'),
    tool('run_command', 'run'),
    tool('search_text', 'read'),
  ];

  it('offers every tool in the registry order when all fit, so the prompt stays the same turn after turn', async () => {
    const offered = await offerTools(all, { trusted: true, budgetTokens: 10_000, text: 'anything' });
    expect(offered.tools.map((t) => t.definition.name)).toEqual([
      'edit_file',
      'read_file',
      'run_command',
      'search_text',
    ]);
    expect(offered.left).toEqual([]);
  });

  it('leaves run tools out of a restricted workspace, and tools whose schema cannot be checked anywhere', async () => {
    const broken = tool('remote_ref', 'read', 'x', { $ref: 'https://example.com/schema.json' });
    const offered = await offerTools([...all, broken], { trusted: false, budgetTokens: 10_000, text: '' });
    expect(offered.tools.map((t) => t.definition.name)).toEqual(['edit_file', 'read_file', 'search_text']);
    expect(offered.left).toEqual([
      { name: 'run_command', reason: 'the workspace is restricted' },
      { name: 'remote_ref', reason: expect.stringContaining('cannot be used') },
    ]);
  });

  it('over the budget: the tools the request names first, then reading tools, in registry order', async () => {
    const offered = await offerTools(all, { trusted: true, budgetTokens: 70, text: 'please run_command npm test' });
    expect(offered.tools.map((t) => t.definition.name)).toEqual(['read_file', 'run_command']);
    expect(offered.left.map((entry) => entry.reason)).toEqual([
      'over the budget of tool tokens',
      'over the budget of tool tokens',
    ]);
  });

  it("over the budget: writing before running, and Jan's own tools before others of the same effect", async () => {
    // VS Code lists dozens of its own `run` tools in vscode.lm.tools, registered before Jan's.
    const editor = (name: string): JanTool => ({ ...tool(name, 'run'), source: 'vscode' });
    const own = (name: string, effect: ToolEffect): JanTool => ({ ...tool(name, effect), source: 'jan' });
    const registry = [
      editor('vscode_run_task'),
      editor('vscode_runTests'),
      own('edit_file', 'write'),
      own('run_command', 'run'),
      own('read_file', 'read'),
    ];
    const offered = await offerTools(registry, { trusted: true, budgetTokens: 100, text: 'make mean() safe' });
    expect(offered.tools.map((t) => t.definition.name)).toEqual(['edit_file', 'run_command', 'read_file']);
    expect(offered.left.map((entry) => entry.name)).toEqual(['vscode_run_task', 'vscode_runTests']);
  });

  it('offers only the tools asked for, with compact descriptions', async () => {
    const long = tool('read_file', 'read', `First paragraph says what it does.\n\nDetails ${'x'.repeat(500)}`);
    const offered = await offerTools([long, tool('edit_file', 'write')], {
      trusted: true,
      budgetTokens: 10_000,
      text: '',
      only: ['read_file'],
    });
    expect(offered.definitions).toEqual([{ ...long.definition, description: 'First paragraph says what it does.' }]);
    expect(compactDefinition({ ...long.definition, description: 'y'.repeat(400) }).description).toHaveLength(240);
  });
});
