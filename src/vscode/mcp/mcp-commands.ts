import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpExtension, McpServerStatus } from '../../../extensions/mcp';

const STATE_ICONS: Record<McpServerStatus['state'], string> = {
  starting: '$(loading~spin)',
  ready: '$(pass)',
  failed: '$(error)',
  stopped: '$(circle-outline)',
  disabled: '$(circle-slash)',
  blocked: '$(lock)',
};

type ServerAction = 'enable' | 'disable' | 'restart' | 'tools' | 'trust';

/**
 * The MCP servers in the editor: Jan: MCP Servers lists them with their state and tools (a
 * failed one with its reason) and turns servers and tools on or off, restarts one, or trusts its
 * read-only marks; Jan: Open MCP Config opens the user's `mcp_config.json` (Jan's shape). A
 * status bar item shows when a server failed.
 */
export function registerMcpCommands(
  mcp: McpExtension,
  userConfigPath: string,
  workspaceConfigPath: string | undefined,
): vscode.Disposable {
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 90);
  status.command = 'jan.mcp.showServers';
  const showStatus = () => {
    const servers = mcp.servers();
    const failed = servers.filter((server) => server.state === 'failed');
    status.text = `$(plug) MCP ${servers.filter((server) => server.state === 'ready').length}/${servers.length}`;
    status.tooltip = failed.length
      ? `MCP: ${failed.map((server) => `${server.name} failed: ${server.error ?? ''}`).join('\n')}`
      : 'Jan: MCP servers';
    status.backgroundColor = failed.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (servers.length > 0) status.show();
    else status.hide();
  };
  showStatus();
  return vscode.Disposable.from(
    status,
    mcp.onDidChange(showStatus),
    // Trust granted: the workspace's servers may now be asked about and started.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void mcp.reload()),
    // A saved config is read again: removed or changed servers stop, new ones start.
    vscode.workspace.onDidSaveTextDocument((document) => {
      if ([userConfigPath, workspaceConfigPath].includes(document.uri.fsPath)) void mcp.reload();
    }),
    vscode.commands.registerCommand('jan.mcp.showServers', () => showServers(mcp, userConfigPath)),
    vscode.commands.registerCommand('jan.mcp.openConfig', () => openConfig(userConfigPath)),
  );
}

async function showServers(mcp: McpExtension, userConfigPath: string): Promise<void> {
  const servers = mcp.servers();
  if (servers.length === 0) {
    const open = 'Open MCP Config';
    if ((await vscode.window.showInformationMessage('Jan: no MCP servers are configured.', open)) === open)
      await openConfig(userConfigPath);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    servers.map((server) => ({
      label: `${STATE_ICONS[server.state]} ${server.name}`,
      description: `${server.scope} · ${server.transport} · ${server.state}`,
      detail: server.error ?? `${server.tools.filter((tool) => tool.enabled).length}/${server.tools.length} tools on`,
      server,
    })),
    { title: 'Jan: MCP Servers', placeHolder: 'Pick a server to change' },
  );
  if (picked) await serverActions(mcp, picked.server);
}

async function serverActions(mcp: McpExtension, server: McpServerStatus): Promise<void> {
  const off = server.state === 'disabled';
  const actions: Array<{ label: string; action: ServerAction }> = [
    off ? { label: '$(play) Turn on', action: 'enable' } : { label: '$(circle-slash) Turn off', action: 'disable' },
    ...(off ? [] : [{ label: '$(debug-restart) Restart', action: 'restart' as const }]),
    ...(server.tools.length ? [{ label: '$(tools) Choose tools…', action: 'tools' as const }] : []),
    { label: '$(shield) Let its read-only tools run without asking', action: 'trust' },
  ];
  const picked = await vscode.window.showQuickPick(actions, { title: `MCP server "${server.name}"` });
  if (!picked) return;
  switch (picked.action) {
    case 'enable':
    case 'disable':
      return mcp.setServerEnabled(server.key, picked.action === 'enable');
    case 'restart':
      return mcp.restart(server.key);
    case 'trust':
      return mcp.setTrustReadOnly(server.key, true);
    case 'tools':
      return chooseTools(mcp, server);
  }
}

async function chooseTools(mcp: McpExtension, server: McpServerStatus): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    server.tools.map((tool) => ({
      label: tool.name,
      description: tool.readOnly ? 'read-only' : undefined,
      picked: tool.enabled,
    })),
    { title: `Tools of "${server.name}" the agent may use`, canPickMany: true },
  );
  if (!picked) return;
  const on = new Set(picked.map((item) => item.label));
  for (const tool of server.tools)
    if (tool.enabled !== on.has(tool.name)) await mcp.setToolEnabled(server.key, tool.name, on.has(tool.name));
}

/** Opens the user's MCP config, creating an empty one (Jan's shape) the first time. */
async function openConfig(userConfigPath: string): Promise<void> {
  await mkdir(path.dirname(userConfigPath), { recursive: true });
  // `wx`: never over a file that exists (the user's servers).
  await writeFile(userConfigPath, '{\n  "mcpServers": {}\n}\n', { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  await vscode.window.showTextDocument(vscode.Uri.file(userConfigPath));
}
