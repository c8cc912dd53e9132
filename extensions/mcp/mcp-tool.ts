import type { JanTool, ToolEffect } from '@jan/core';
import { errorMessage } from '@jan/core';
import type { McpServerChoices } from './preferences';
import { resultToToolResult } from './result-text';
import type { McpServerConnection, McpToolInfo } from './server-connection';

export interface McpToolContext {
  connection: McpServerConnection;
  info: McpToolInfo;
  registryName: string;
  choices(): McpServerChoices;
  maxOutputChars(): number;
}

/**
 * An MCP server's tool as the agent sees it. It asks for approval (`run`) unless the user
 * allowed it always, or it is marked read-only and the user trusts this server's read-only
 * marks; the choice is read at each call, so a change applies at once.
 */
export function mcpTool(context: McpToolContext): JanTool {
  const { connection, info } = context;
  return {
    definition: {
      name: context.registryName,
      description: info.description || `${info.name} (MCP server ${connection.config.name})`,
      parameters: info.inputSchema,
    },
    get effect(): ToolEffect {
      const choices = context.choices();
      const allowed = choices.alwaysAllow?.includes(info.name) || (info.readOnly && choices.trustReadOnly === true);
      return allowed ? 'read' : 'run';
    },
    source: `mcp:${connection.config.name}`,
    async invoke(args, toolContext) {
      try {
        const result = await connection.callTool(info.name, args, toolContext.signal);
        return resultToToolResult(result, context.maxOutputChars());
      } catch (error) {
        if (toolContext.signal.aborted) return { content: 'Stopped.', summary: 'stopped', isError: true };
        const message = errorMessage(error);
        return { content: message, summary: message.split('\n')[0].slice(0, 120), isError: true };
      }
    },
  };
}
