import * as path from 'node:path';
import { BaseExtension, ExtensionType, type CoreContext, type Disposable } from '@jan/core';
import {
  DEFAULT_MCP_SETTINGS,
  serverFingerprint,
  serverKey,
  type McpRuntimeSettings,
  type McpServerConfig,
} from './config';
import { readUserConfig, readWorkspaceConfig } from './config-files';
import { DEFAULT_MAX_MESSAGE_BYTES } from './oversize';
import { MemoryMcpPreferences, type McpChoices, type McpPreferences, type McpServerChoices } from './preferences';
// The SDK is loaded with the first server (server-connection.ts), not when the editor starts.
import type { McpServerConnection, McpServerState } from './server-connection';
import { McpToolRegistrations } from './tool-registrations';

/** What only the host can answer: trust, and the user's yes or no for a workspace's server. */
export interface McpHost {
  /** False in a restricted workspace: its servers are listed, never started. */
  isTrusted(): boolean;
  /** Asked once per workspace server, and again when what it runs or where it connects changes. */
  allowWorkspaceServer(server: McpServerConfig): Promise<boolean>;
}

export interface McpExtensionOptions {
  /** The user's servers, in Jan's `mcp_config.json` shape (Jan desktop's own file works). */
  userConfigPath?: string;
  /** Where workspace servers run, and the root their relative `cwd` is resolved against. */
  workspaceRoot?: string;
  preferences?: McpPreferences;
  host?: McpHost;
  clientVersion?: string;
  startTimeoutSeconds?: number;
  maxMessageBytes?: number;
}

export type McpServerListState = McpServerState | 'disabled' | 'blocked';

export interface McpServerStatus {
  key: string;
  name: string;
  scope: McpServerConfig['scope'];
  transport: McpServerConfig['transport'];
  state: McpServerListState;
  /** Why it failed or is blocked. */
  error?: string;
  tools: Array<{ name: string; registeredAs?: string; enabled: boolean; readOnly: boolean }>;
}

/** No host: workspace servers are never started (nobody can be asked). */
const NO_HOST: McpHost = { isTrusted: () => false, allowWorkspaceServer: async () => false };

/**
 * MCP servers from the user's config and the workspace's `.jan/mcp.json` (trusted workspaces
 * only, each server approved once), their tools registered in `core.tools` as servers come and
 * go. Servers start when the extension loads, in the background; `ready` settles when every
 * first start has succeeded or failed.
 */
export class McpExtension extends BaseExtension {
  private connections = new Map<string, McpServerConnection>();
  private blocked = new Map<string, { config: McpServerConfig; reason: string }>();
  private disabled = new Map<string, McpServerConfig>();
  private choices: McpChoices = { servers: {}, workspaceAnswers: {} };
  private settings: McpRuntimeSettings = DEFAULT_MCP_SETTINGS;
  private readonly registrations: McpToolRegistrations;
  private readonly listeners = new Set<() => void>();
  private readonly preferences: McpPreferences;
  /** Problems found in the config files, for the log and the servers view. */
  problems: string[] = [];
  ready: Promise<void> = Promise.resolve();
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    core: CoreContext,
    private readonly options: McpExtensionOptions = {},
  ) {
    super('mcp', core);
    this.preferences = options.preferences ?? new MemoryMcpPreferences();
    this.registrations = new McpToolRegistrations(core.tools, core.api, {
      warn: (text) => core.logger.warn(text),
      choices: (key) => this.choicesFor(key),
      maxOutputChars: () => this.settings.maxToolOutputChars,
    });
  }

  type(): ExtensionType {
    return ExtensionType.Tools;
  }

  onLoad(): void {
    this.ready = this.reload();
  }

  override async onUnload(): Promise<void> {
    await this.reloading;
    const connections = [...this.connections.values()];
    this.connections.clear();
    this.registrations.clear();
    await Promise.all(connections.map((connection) => connection.stop()));
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private choicesFor(key: string): McpServerChoices {
    return this.choices.servers[key] ?? {};
  }

  /** Reads both configs again: removed or changed servers stop, new ones start. One reload at a time. */
  reload(): Promise<void> {
    const next = this.reloading.then(() => this.reloadNow());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<void> {
    this.choices = await this.preferences.load();
    const user = this.options.userConfigPath ? await readUserConfig(this.options.userConfigPath) : undefined;
    const workspace = await readWorkspaceConfig(this.core.janFolder);
    this.problems = [...(user?.problems ?? []), ...workspace.problems];
    for (const problem of this.problems) this.core.logger.warn(`MCP config: ${problem}`);
    this.settings = { ...DEFAULT_MCP_SETTINGS, ...user?.settings };
    const wanted = [...(user?.servers ?? []), ...workspace.servers];
    const byKey = new Map(wanted.map((server) => [serverKey(server), server]));
    for (const [key, connection] of this.connections) {
      const now = byKey.get(key);
      if (!now || serverFingerprint(now) !== serverFingerprint(connection.config)) await this.remove(key);
    }
    this.blocked.clear();
    this.disabled.clear();
    await Promise.all(wanted.map((server) => this.consider(server)));
    this.changed();
  }

  private async remove(key: string): Promise<void> {
    const connection = this.connections.get(key);
    this.connections.delete(key);
    this.registrations.removeServer(key);
    await connection?.stop();
  }

  /** Starts a server when it is enabled and, from the workspace, trusted and approved. */
  private async consider(server: McpServerConfig): Promise<void> {
    const key = serverKey(server);
    if (!(this.choicesFor(key).enabled ?? server.active)) {
      this.disabled.set(key, server);
      return;
    }
    if (server.scope === 'workspace') {
      const reason = await this.workspaceRefusal(server);
      if (reason) {
        this.blocked.set(key, { config: server, reason });
        return;
      }
    }
    let connection = this.connections.get(key);
    if (!connection) {
      connection = await this.connect(server);
      this.connections.set(key, connection);
    }
    await connection.start();
  }

  private async connect(server: McpServerConfig): Promise<McpServerConnection> {
    const { McpServerConnection } = await import('./server-connection');
    const key = serverKey(server);
    const connection = new McpServerConnection(server, {
      clientVersion: this.options.clientVersion ?? '0.0.0',
      startTimeoutMs: (server.timeoutSeconds ?? this.options.startTimeoutSeconds ?? 30) * 1000,
      callTimeoutMs: () => this.settings.toolCallTimeoutSeconds * 1000,
      maxMessageBytes: this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      workspaceRoot: this.options.workspaceRoot,
      logger: this.core.logger,
      onChange: () => {
        if (this.connections.get(key) === connection) this.registrations.sync(key, connection);
        this.changed();
      },
    });
    return connection;
  }

  private async workspaceRefusal(server: McpServerConfig): Promise<string | undefined> {
    const host = this.options.host ?? NO_HOST;
    if (!host.isTrusted()) return 'The workspace is not trusted: its MCP servers do not run.';
    const fingerprint = serverFingerprint(server);
    const answer = this.choices.workspaceAnswers[server.name];
    if (answer?.fingerprint === fingerprint)
      return answer.allowed ? undefined : 'You did not allow this workspace server to run.';
    const allowed = await host.allowWorkspaceServer(server);
    this.choices.workspaceAnswers[server.name] = { fingerprint, allowed };
    await this.preferences.save(this.choices);
    return allowed ? undefined : 'You did not allow this workspace server to run.';
  }

  servers(): McpServerStatus[] {
    const statuses: McpServerStatus[] = [];
    for (const [key, connection] of this.connections) {
      const disabledTools = new Set(this.choicesFor(key).disabledTools ?? []);
      statuses.push({
        ...this.identity(key, connection.config),
        state: connection.state,
        ...(connection.error ? { error: connection.error } : {}),
        tools: connection.tools.map((tool) => ({
          name: tool.name,
          registeredAs: this.registrations.nameOf(key, tool.name),
          enabled: !disabledTools.has(tool.name),
          readOnly: tool.readOnly,
        })),
      });
    }
    for (const [key, { config, reason }] of this.blocked)
      statuses.push({ ...this.identity(key, config), state: 'blocked', error: reason, tools: [] });
    for (const [key, config] of this.disabled)
      statuses.push({ ...this.identity(key, config), state: 'disabled', tools: [] });
    return statuses;
  }

  private identity(key: string, config: McpServerConfig) {
    return { key, name: config.name, scope: config.scope, transport: config.transport };
  }

  /** Starts a server again (after a crash, or to pick up a change it made). */
  async restart(key: string): Promise<void> {
    await this.connections.get(key)?.restart();
  }

  private async choose(key: string, change: (choices: McpServerChoices) => McpServerChoices): Promise<void> {
    this.choices.servers[key] = change({ ...this.choicesFor(key) });
    await this.preferences.save(this.choices);
    const connection = this.connections.get(key);
    if (connection) this.registrations.sync(key, connection);
    this.changed();
  }

  async setServerEnabled(key: string, enabled: boolean): Promise<void> {
    await this.choose(key, (choices) => ({ ...choices, enabled }));
    if (!enabled) await this.remove(key);
    await this.reload();
  }

  async setToolEnabled(key: string, tool: string, enabled: boolean): Promise<void> {
    await this.choose(key, (choices) => ({ ...choices, disabledTools: toggle(choices.disabledTools, tool, !enabled) }));
  }

  async setAlwaysAllow(key: string, tool: string, allow: boolean): Promise<void> {
    await this.choose(key, (choices) => ({ ...choices, alwaysAllow: toggle(choices.alwaysAllow, tool, allow) }));
  }

  async setTrustReadOnly(key: string, trust: boolean): Promise<void> {
    await this.choose(key, (choices) => ({ ...choices, trustReadOnly: trust }));
  }
}

function toggle(list: string[] | undefined, item: string, present: boolean): string[] {
  const rest = (list ?? []).filter((entry) => entry !== item);
  return present ? [...rest, item] : rest;
}

export const defaultUserConfigPath = (globalFolder: string): string => path.join(globalFolder, 'mcp_config.json');
