import * as vscode from 'vscode';
import { redactUrl } from '@jan/core';
import {
  parseChoices,
  type McpChoices,
  type McpHost,
  type McpPreferences,
  type McpServerConfig,
} from '../../../extensions/mcp';

const CHOICES_KEY = 'jan.mcp.choices';

/** What a workspace server would run or reach, for the question the user answers. */
function whatItRuns(server: McpServerConfig): string {
  if (server.transport === 'stdio') return [server.command, ...server.args].join(' ');
  return redactUrl(server.url ?? '');
}

/**
 * The editor's answers for MCP: the workspace's trust, and a modal question before a server the
 * workspace's `.jan/mcp.json` names is started (asked once per server, again when it changes).
 */
export class VsCodeMcpHost implements McpHost {
  isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  async allowWorkspaceServer(server: McpServerConfig): Promise<boolean> {
    const allow = 'Start It';
    const answer = await vscode.window.showWarningMessage(
      `This workspace's .jan/mcp.json asks Jan to start the MCP server "${server.name}". It runs: ${whatItRuns(server)}`,
      { modal: true, detail: 'Its tools are offered to the agent; tools that change things still ask each time.' },
      allow,
    );
    return answer === allow;
  }
}

/** The user's MCP choices (servers and tools on or off, read-only trust, workspace answers) in this workspace's state. */
export class StateMcpPreferences implements McpPreferences {
  constructor(private readonly state: vscode.Memento) {}

  async load(): Promise<McpChoices> {
    return parseChoices(this.state.get(CHOICES_KEY));
  }

  async save(choices: McpChoices): Promise<void> {
    await this.state.update(CHOICES_KEY, choices);
  }
}
