/**
 * Tools other extensions contribute to `vscode.lm.tools`, offered to the agent and run through
 * VS Code's own `vscode.lm.invokeTool`: named apart from the built-in ones, behind approval,
 * cancelled with the turn, refreshed when extensions change, absent on an editor without the API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolRegistry } from '@jan/core';
import { registerEditorTools } from '../../src/vscode/lm/editor-tools';
import { extensionsChanged, lm, resetStandIn } from '../support/vscode-stand-in';

type Invoked = { name: string; input: object; cancelled: () => boolean };
const standInLm = lm as unknown as Record<string, unknown>;
let invoked: Invoked[];

beforeEach(() => {
  resetStandIn();
  invoked = [];
  standInLm.tools = [
    { name: 'gitlens.blame', description: 'Who changed a line', inputSchema: { type: 'object' }, tags: [] },
  ];
  standInLm.invokeTool = async (
    name: string,
    options: { input: object },
    token: { isCancellationRequested: boolean },
  ) => {
    invoked.push({ name, input: options.input, cancelled: () => token.isCancellationRequested });
    return { content: [{ value: 'line 3: Ada' }, { data: new Uint8Array(1) }] };
  };
});

afterEach(() => {
  delete standInLm.tools;
  delete standInLm.invokeTool;
});

describe('tools of other extensions', () => {
  it("leaves out VS Code's internal tools, which only its own chat session can run", () => {
    standInLm.tools = [
      ...(standInLm.tools as object[]),
      { name: 'vscode_editFile_internal', description: 'Edit a file', inputSchema: { type: 'object' }, tags: [] },
    ];
    const tools = new ToolRegistry();
    const registration = registerEditorTools(tools);
    expect(tools.all().map((tool) => tool.definition.name)).toEqual(['vscode_gitlens_blame']);
    registration.dispose();
  });

  it('registers each as a run tool named vscode_<name> and invokes it through VS Code', async () => {
    const tools = new ToolRegistry();
    const registration = registerEditorTools(tools);
    const tool = tools.get('vscode_gitlens_blame')!;
    expect(tool).toMatchObject({ effect: 'run', source: 'vscode' });
    expect(tool.definition.description).toBe('Who changed a line');
    const stop = new AbortController();
    const result = await tool.invoke({ line: 3 }, { signal: stop.signal, callId: 'c1' });
    expect(result.content).toBe('line 3: Ada\n[a part that is not text]');
    expect(invoked.map(({ name, input }) => ({ name, input }))).toEqual([
      { name: 'gitlens.blame', input: { line: 3 } },
    ]);
    stop.abort();
    expect(invoked[0]!.cancelled()).toBe(false);

    standInLm.tools = [];
    extensionsChanged.fire();
    expect(tools.get('vscode_gitlens_blame')).toBeUndefined();
    registration.dispose();
  });

  it('cancels VS Code’s invocation when the turn is stopped', async () => {
    let release!: () => void;
    standInLm.invokeTool = async (_name: string, _options: object, token: { isCancellationRequested: boolean }) => {
      await new Promise<void>((resolve) => (release = resolve));
      return { content: [{ value: token.isCancellationRequested ? 'cancelled' : 'ran' }] };
    };
    const tools = new ToolRegistry();
    registerEditorTools(tools);
    const stop = new AbortController();
    const running = tools.get('vscode_gitlens_blame')!.invoke({}, { signal: stop.signal, callId: 'c1' });
    stop.abort();
    release();
    expect((await running).content).toBe('cancelled');
  });

  it('offers nothing on an editor without the tools API', () => {
    delete standInLm.tools;
    const tools = new ToolRegistry();
    registerEditorTools(tools).dispose();
    expect(tools.all()).toEqual([]);
  });
});
