/**
 * MCP servers in Jan desktop's `mcp_config.json` shape, so a user's Jan servers work unchanged:
 *
 *   { "mcpServers": { "<name>": { "command", "args", "env", "active",            (stdio)
 *                                 "type": "http" | "sse", "url", "headers",     (remote)
 *                                 "timeout" (s), "cwd" } },
 *     "mcpSettings": { "toolCallTimeoutSeconds", "maxToolOutputChars", … } }
 *
 * The same shape is read from the user's file and from a workspace's `.jan/mcp.json`. One bad
 * entry is reported and skipped; the others work. Fields we do not use are left alone (we never
 * rewrite these files: enabling and approvals live in McpPreferences).
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { describeIssue, validate, type ValidationIssue } from '@jan/validation';

export type McpScope = 'user' | 'workspace';
export type McpTransportKind = 'stdio' | 'http' | 'sse';

export interface McpServerConfig {
  name: string;
  scope: McpScope;
  transport: McpTransportKind;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  url?: string;
  headers: Record<string, string>;
  /** Seconds to wait for the server to start (stdio) or connect (http), Jan's `timeout`. */
  timeoutSeconds?: number;
  /** Jan's `active`: false keeps the server off until the user turns it on. */
  active: boolean;
}

export interface McpRuntimeSettings {
  toolCallTimeoutSeconds: number;
  maxToolOutputChars: number;
}

export const DEFAULT_MCP_SETTINGS: McpRuntimeSettings = { toolCallTimeoutSeconds: 30, maxToolOutputChars: 32_000 };

export interface ParsedMcpConfig {
  servers: McpServerConfig[];
  settings: Partial<McpRuntimeSettings>;
  /** One line per entry or field that was skipped, for the log and the servers view. */
  problems: string[];
}

const stringMap = v.pipe(
  v.record(v.string(), v.unknown()),
  v.transform((record) =>
    Object.fromEntries(
      Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ),
  ),
);

const ServerEntry = v.object({
  type: v.optional(v.picklist(['stdio', 'http', 'sse', 'streamable-http', 'streamableHttp'])),
  command: v.optional(v.string()),
  args: v.optional(v.array(v.union([v.string(), v.number()]))),
  env: v.optional(stringMap),
  cwd: v.optional(v.string()),
  url: v.optional(v.string()),
  headers: v.optional(stringMap),
  timeout: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(3600))),
  active: v.optional(v.boolean()),
});

const Settings = v.object({
  toolCallTimeoutSeconds: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(3600))),
  maxToolOutputChars: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(10_000_000))),
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const issueText = (issues: ValidationIssue[]): string => issues.map((issue) => describeIssue(issue)).join('; ');

function transportOf(entry: v.InferOutput<typeof ServerEntry>): McpTransportKind {
  if (entry.type === 'sse') return 'sse';
  if (entry.type !== undefined && entry.type !== 'stdio') return 'http';
  // Jan writes `"command": ""` beside a URL for remote servers.
  return entry.type === undefined && !entry.command?.trim() && entry.url ? 'http' : 'stdio';
}

function toServer(name: string, scope: McpScope, entry: v.InferOutput<typeof ServerEntry>): McpServerConfig | string {
  const transport = transportOf(entry);
  if (transport !== 'stdio') {
    const url = URL.canParse(entry.url ?? '') ? new URL(entry.url as string) : undefined;
    if (!url) return `"${name}": a ${transport} server needs a "url" (http or https)`;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${name}": "url" must be http or https`;
  } else if (!entry.command?.trim()) return `"${name}": a stdio server needs a "command"`;
  return {
    name,
    scope,
    transport,
    command: entry.command ?? '',
    args: (entry.args ?? []).map(String),
    env: entry.env ?? {},
    ...(entry.cwd ? { cwd: entry.cwd } : {}),
    ...(entry.url ? { url: entry.url } : {}),
    headers: entry.headers ?? {},
    ...(entry.timeout !== undefined ? { timeoutSeconds: entry.timeout } : {}),
    active: entry.active ?? true,
  };
}

/** Parses a config's JSON value; never throws (a file that is not this shape is one problem). */
export function parseMcpConfig(value: unknown, scope: McpScope): ParsedMcpConfig {
  const parsed: ParsedMcpConfig = { servers: [], settings: {}, problems: [] };
  if (!isRecord(value)) return { ...parsed, problems: ['the file is not a JSON object'] };
  const servers = value.mcpServers;
  if (servers !== undefined && !isRecord(servers)) parsed.problems.push('"mcpServers" is not an object');
  for (const [name, raw] of Object.entries(isRecord(servers) ? servers : {})) {
    if (!/^[^\0-\x1f]{1,100}$/.test(name)) {
      parsed.problems.push(
        `a server name ${JSON.stringify(name.slice(0, 40))} is empty, too long or has control characters`,
      );
      continue;
    }
    const entry = validate(ServerEntry, raw, { all: true });
    const server = entry.ok ? toServer(name, scope, entry.value) : `"${name}": ${issueText(entry.issues)}`;
    if (typeof server === 'string') parsed.problems.push(server);
    else parsed.servers.push(server);
  }
  if (value.mcpSettings !== undefined) {
    const settings = validate(Settings, value.mcpSettings, { all: true });
    if (settings.ok) parsed.settings = settings.value;
    else parsed.problems.push(`"mcpSettings": ${issueText(settings.issues)}`);
  }
  return parsed;
}

/**
 * What the user approves when a workspace server is asked about: everything that decides what
 * runs or where data goes. A change to any of it asks again.
 */
export function serverFingerprint(server: McpServerConfig): string {
  const decisive = [server.transport, server.command, server.args, server.env, server.cwd, server.url, server.headers];
  return createHash('sha256').update(JSON.stringify(decisive)).digest('hex').slice(0, 32);
}

/** A server's key among all of them: the same name may be in the user's file and the workspace's. */
export const serverKey = (server: Pick<McpServerConfig, 'scope' | 'name'>): string => `${server.scope}:${server.name}`;
