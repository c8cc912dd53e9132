import { describe, expect, it } from 'vitest';
import { parseMcpConfig, serverFingerprint } from '../../../extensions/mcp';

/** The shape Jan desktop writes (src-tauri/src/core/mcp/constants.rs in janhq/jan), trimmed. */
const JAN_DEFAULT = {
  mcpServers: {
    'Jan Browser MCP': {
      command: 'npx',
      args: ['-y', 'search-mcp-server@latest'],
      env: { BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: '17389' },
      active: false,
      official: true,
    },
    exa: { type: 'http', url: 'https://mcp.exa.ai/mcp', command: '', args: [], env: {}, active: true },
    fetch: { command: 'uvx', args: ['mcp-server-fetch'], env: {}, active: false },
    legacy: { type: 'sse', url: 'http://127.0.0.1:9000/sse', headers: { Authorization: 'Bearer x' }, timeout: 20 },
  },
  mcpSettings: {
    toolCallTimeoutSeconds: 45,
    baseRestartDelayMs: 1000,
    maxToolOutputChars: 20000,
    enableSmartToolRouting: true,
  },
};

describe("Jan's mcp_config.json", () => {
  it('reads stdio, http and sse servers, their active flags, and the settings we use', () => {
    const parsed = parseMcpConfig(JAN_DEFAULT, 'user');
    expect(parsed.problems).toEqual([]);
    expect(parsed.settings).toEqual({ toolCallTimeoutSeconds: 45, maxToolOutputChars: 20000 });
    expect(parsed.servers).toEqual([
      {
        name: 'Jan Browser MCP',
        scope: 'user',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', 'search-mcp-server@latest'],
        env: { BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: '17389' },
        headers: {},
        active: false,
      },
      {
        name: 'exa',
        scope: 'user',
        transport: 'http',
        command: '',
        args: [],
        env: {},
        url: 'https://mcp.exa.ai/mcp',
        headers: {},
        active: true,
      },
      {
        name: 'fetch',
        scope: 'user',
        transport: 'stdio',
        command: 'uvx',
        args: ['mcp-server-fetch'],
        env: {},
        headers: {},
        active: false,
      },
      {
        name: 'legacy',
        scope: 'user',
        transport: 'sse',
        command: '',
        args: [],
        env: {},
        url: 'http://127.0.0.1:9000/sse',
        headers: { Authorization: 'Bearer x' },
        timeoutSeconds: 20,
        active: true,
      },
    ]);
  });

  it('skips bad entries with a reason each and keeps the good ones', () => {
    const parsed = parseMcpConfig(
      {
        mcpServers: {
          good: { command: 'node', args: ['server.js', 3] },
          noCommand: { args: [] },
          badUrl: { type: 'http', url: 'file:///etc/passwd' },
          notObject: 'node server.js',
          badArgs: { command: 'x', args: 'a b' },
          '': { command: 'x' },
        },
        mcpSettings: { toolCallTimeoutSeconds: -1 },
      },
      'workspace',
    );
    expect(parsed.servers.map((server) => [server.name, server.args])).toEqual([['good', ['server.js', '3']]]);
    expect(parsed.problems).toEqual([
      '"noCommand": a stdio server needs a "command"',
      '"badUrl": "url" must be http or https',
      expect.stringContaining('"notObject":'),
      expect.stringContaining('"badArgs": args:'),
      expect.stringContaining('a server name "" is empty'),
      expect.stringContaining('"mcpSettings": toolCallTimeoutSeconds:'),
    ]);
    expect(parseMcpConfig([], 'user').problems).toEqual(['the file is not a JSON object']);
    expect(parseMcpConfig({ mcpServers: [] }, 'user').problems).toEqual(['"mcpServers" is not an object']);
  });

  it('fingerprints what runs or where data goes, so changing it asks again', () => {
    const [server] = parseMcpConfig({ mcpServers: { s: { command: 'node', args: ['a.js'] } } }, 'workspace').servers;
    const same = serverFingerprint({ ...server, active: false });
    expect(same).toBe(serverFingerprint(server));
    for (const change of [
      { command: 'sh' },
      { args: ['b.js'] },
      { env: { X: '1' } },
      { cwd: 'sub' },
      { headers: { A: 'b' } },
    ])
      expect(serverFingerprint({ ...server, ...change })).not.toBe(same);
  });
});
