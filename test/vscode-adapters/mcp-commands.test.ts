/**
 * MCP in the editor, over the real McpExtension and a real MCP server built with the SDK
 * (test/fixtures/mcp/test-server.mjs, spawned on stdio): the servers list with state, turning a
 * server off and its tools on or off, the choices kept in the workspace state, the status bar,
 * and a workspace server asked about before it starts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { JanCore, MemoryLogger } from '@jan/core';
import { McpExtension } from '../../extensions/mcp';
import { registerMcpCommands } from '../../src/vscode/mcp/mcp-commands';
import { StateMcpPreferences, VsCodeMcpHost } from '../../src/vscode/mcp/mcp-host';
import { commands, registered, resetStandIn, ui, workspace } from '../support/vscode-stand-in';

const SERVER = fileURLToPath(new URL('../fixtures/mcp/test-server.mjs', import.meta.url));

let sandbox: string;
let core: JanCore;
let mcp: McpExtension;
let registration: vscode.Disposable;
let state: Map<string, unknown>;

function memento(): vscode.Memento {
  return {
    keys: () => [...state.keys()],
    get: (key: string) => state.get(key),
    update: async (key: string, value: unknown) => void state.set(key, value),
  } as unknown as vscode.Memento;
}

async function start(workspaceServers?: Record<string, unknown>): Promise<void> {
  const config = path.join(sandbox, 'mcp_config.json');
  const server = { command: process.execPath, args: [SERVER, 'normal'], env: {} };
  writeFileSync(config, JSON.stringify({ mcpServers: { files: server } }));
  mkdirSync(path.join(sandbox, 'ws', '.jan'), { recursive: true });
  if (workspaceServers) {
    writeFileSync(path.join(sandbox, 'ws', '.jan', 'mcp.json'), JSON.stringify({ mcpServers: workspaceServers }));
  }
  core = new JanCore({
    janFolder: path.join(sandbox, 'ws', '.jan'),
    modelsFolder: sandbox,
    logger: new MemoryLogger(),
  });
  mcp = new McpExtension(core.context, {
    userConfigPath: config,
    workspaceRoot: path.join(sandbox, 'ws'),
    preferences: new StateMcpPreferences(memento()),
    host: new VsCodeMcpHost(),
  });
  core.register(mcp);
  expect(await core.start()).toEqual([]);
  await mcp.ready;
  registration = registerMcpCommands(mcp, config, undefined);
}

beforeEach(() => {
  resetStandIn();
  sandbox = mkdtempSync(path.join(tmpdir(), 'jan-mcp-commands-'));
  state = new Map();
});

afterEach(async () => {
  registration?.dispose();
  await core?.stop();
  rmSync(sandbox, { recursive: true, force: true });
});

type Picked = { label: string; server?: { key: string } };

describe('MCP in the editor', () => {
  it('lists servers with their state; turns one off and back on; choices live in the workspace state', async () => {
    await start();
    const status = registered.statusItems.at(-1)!;
    expect(status.text).toBe('$(plug) MCP 1/1');
    let listed: Picked[] = [];
    ui.answers.push(
      (_prompt, items) => {
        listed = items as Picked[];
        return listed[0];
      },
      (_prompt, items) => (items as Picked[]).find((item) => item.label.includes('Turn off')),
    );
    await commands.executeCommand('jan.mcp.showServers');
    expect(listed.map((item) => item.label)).toEqual(['$(pass) files']);
    expect(mcp.servers()[0]!.state).toBe('disabled');
    expect(core.tools.all().some((tool) => tool.source === 'mcp:files')).toBe(false);
    expect(JSON.stringify(state.get('jan.mcp.choices'))).toContain('"enabled":false');
    expect(status.text).toBe('$(plug) MCP 0/1');

    ui.answers.push(
      (_prompt, items) => (items as Picked[])[0],
      (_prompt, items) => (items as Picked[]).find((item) => item.label.includes('Turn on')),
    );
    await commands.executeCommand('jan.mcp.showServers');
    await mcp.ready;
    await expect.poll(() => mcp.servers()[0]!.state).toBe('ready');
  });

  it('turns single tools off from a multi-select of the server’s tools', async () => {
    await start();
    const names = mcp.servers()[0]!.tools.map((tool) => tool.name);
    expect(names.length).toBeGreaterThan(1);
    ui.answers.push(
      (_prompt, items) => (items as Picked[])[0],
      (_prompt, items) => (items as Picked[]).find((item) => item.label.includes('Choose tools')),
      (_prompt, items) => (items as Picked[]).filter((item) => item.label !== names[0]),
    );
    await commands.executeCommand('jan.mcp.showServers');
    const tools = mcp.servers()[0]!.tools;
    expect(tools.find((tool) => tool.name === names[0])!.enabled).toBe(false);
    expect(tools.filter((tool) => tool.enabled)).toHaveLength(names.length - 1);
  });

  it('asks before a workspace server starts, and a no keeps it stopped', async () => {
    workspace.isTrusted = true;
    const prompts: string[] = [];
    ui.answers.push((prompt) => void prompts.push(prompt));
    await start({ local: { command: process.execPath, args: [SERVER, 'normal'], env: {} } });
    expect(prompts).toEqual([expect.stringContaining('start the MCP server "local"')]);
    expect(mcp.servers().find((server) => server.name === 'local')!.state).toBe('blocked');
  });
});
