/**
 * Keeps `core.tools` in step with the servers: a server's enabled tools are registered while it
 * is configured (also while it is down: calling one starts it again), a tool the user turns off
 * or the server stops listing is removed, and a removed server takes its tools with it.
 */
import { errorMessage, type Disposable, type JanRegistrations, type ToolRegistry } from '@jan/core';
import { mcpTool } from './mcp-tool';
import type { McpServerChoices } from './preferences';
import type { McpServerConnection } from './server-connection';
import { registryName } from './tool-names';

interface Registered {
  registeredAs: string;
  /** The schema and description it was registered with: a change re-registers it. */
  shape: string;
  registration: Disposable;
}

export interface RegistrationDeps {
  warn(text: string): void;
  choices(key: string): McpServerChoices;
  maxOutputChars(): number;
}

export class McpToolRegistrations {
  /** By server key, then by the tool's own name. */
  private readonly byServer = new Map<string, Map<string, Registered>>();

  /** `registry` answers which names are taken; tools are added with `api.registerTool`, as any extension's. */
  constructor(
    private readonly registry: ToolRegistry,
    private readonly api: Pick<JanRegistrations, 'registerTool'>,
    private readonly deps: RegistrationDeps,
  ) {}

  nameOf(key: string, tool: string): string | undefined {
    return this.byServer.get(key)?.get(tool)?.registeredAs;
  }

  sync(key: string, connection: McpServerConnection): void {
    const registered = this.byServer.get(key) ?? new Map<string, Registered>();
    this.byServer.set(key, registered);
    const disabled = new Set(this.deps.choices(key).disabledTools ?? []);
    const wanted = new Map(
      connection.tools.filter((tool) => !disabled.has(tool.name)).map((tool) => [tool.name, tool]),
    );
    // A server that failed before listing tools keeps those it had; one that listed them gets exactly those.
    if (connection.state !== 'ready' && connection.tools.length === 0 && registered.size > 0) return;
    for (const [name, entry] of registered) {
      const tool = wanted.get(name);
      if (tool && JSON.stringify([tool.description, tool.inputSchema]) === entry.shape) continue;
      entry.registration.dispose();
      registered.delete(name);
    }
    for (const [name, info] of wanted) {
      if (registered.has(name)) continue;
      const registeredAs = registryName(
        connection.config.name,
        name,
        (candidate) => this.registry.get(candidate) !== undefined,
      );
      let registration: Disposable;
      try {
        registration = this.api.registerTool(
          mcpTool({
            connection,
            info,
            registryName: registeredAs,
            choices: () => this.deps.choices(key),
            maxOutputChars: this.deps.maxOutputChars,
          }),
        );
      } catch (error) {
        this.deps.warn(
          `MCP server "${connection.config.name}": its tool "${name}" is left out: ${errorMessage(error)}`,
        );
        continue;
      }
      registered.set(name, { registeredAs, shape: JSON.stringify([info.description, info.inputSchema]), registration });
    }
  }

  removeServer(key: string): void {
    for (const entry of this.byServer.get(key)?.values() ?? []) entry.registration.dispose();
    this.byServer.delete(key);
  }

  clear(): void {
    for (const key of [...this.byServer.keys()]) this.removeServer(key);
  }
}
