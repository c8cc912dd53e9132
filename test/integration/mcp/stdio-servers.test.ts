import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JanCore, MemoryLogger, type JanTool, type ToolResult } from '@jan/core';
import { FileMcpPreferences, McpExtension, type McpExtensionOptions } from '../../../extensions/mcp';
import { isAlive } from '../../support/processes';

const SERVER = fileURLToPath(new URL('../../fixtures/mcp/test-server.mjs', import.meta.url));

let sandbox: string;
let core: JanCore;
let logger: MemoryLogger;
let extension: McpExtension;
const pids: number[] = [];

type Entry = Record<string, unknown>;
const stdio = (mode = 'normal', extra: Entry = {}): Entry => ({
  command: process.execPath,
  args: [SERVER, mode],
  env: {},
  ...extra,
});

async function start(
  servers: Record<string, Entry>,
  settings: Entry = {},
  options: McpExtensionOptions = {},
): Promise<void> {
  const config = path.join(sandbox, 'mcp_config.json');
  writeFileSync(config, JSON.stringify({ mcpServers: servers, mcpSettings: settings }));
  logger = new MemoryLogger();
  core = new JanCore({ janFolder: path.join(sandbox, '.jan'), modelsFolder: sandbox, logger });
  extension = new McpExtension(core.context, {
    userConfigPath: config,
    preferences: new FileMcpPreferences(path.join(sandbox, 'mcp-choices.json')),
    ...options,
  });
  core.register(extension);
  expect(await core.start()).toEqual([]);
  await extension.ready;
}

function tool(name: string): JanTool {
  const found = core.tools.get(name);
  if (!found)
    throw new Error(
      `${name} is not registered (${core.tools
        .all()
        .map((t) => t.definition.name)
        .join(', ')})`,
    );
  return found;
}

let calls = 0;
async function call(
  name: string,
  args: Record<string, unknown> = {},
  signal = new AbortController().signal,
): Promise<ToolResult> {
  calls += 1;
  return tool(name).invoke(args, { signal, callId: `c${calls}` });
}

async function serverPid(name = 'test_pid'): Promise<number> {
  const pid = Number((await call(name)).content);
  pids.push(pid);
  return pid;
}

const state = (key = 'user:test') => extension.servers().find((server) => server.key === key);

beforeEach(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'jan-mcp-'));
  mkdirSync(path.join(sandbox, '.jan'));
});

afterEach(async () => {
  await core.stop();
  for (const pid of pids.splice(0)) await expect.poll(() => isAlive(pid), { timeout: 60_000 }).toBe(false);
  rmSync(sandbox, { recursive: true, force: true });
});

describe('MCP servers on stdio, from a Jan mcp_config.json', () => {
  it('starts active servers, registers their tools under the server name, and answers calls', async () => {
    await start({ test: stdio(), off: { ...stdio(), active: false } });
    expect(state()).toMatchObject({ state: 'ready', transport: 'stdio', scope: 'user' });
    expect(extension.servers().find((server) => server.name === 'off')).toMatchObject({ state: 'disabled' });
    expect(core.tools.all().map((registered) => registered.definition.name)).toEqual([
      'test_echo',
      'test_add',
      'test_pid',
      'test_big',
      'test_crash',
      'test_hang',
      'test_freeze',
      'test_grow',
      'test_failing',
      'test_controls',
    ]);
    expect(tool('test_add').definition).toEqual({
      name: 'test_add',
      description: 'Adds two numbers.',
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: [] },
    });
    expect(tool('test_add').source).toBe('mcp:test');
    expect(await call('test_add', { a: 2, b: 3 })).toEqual({ content: '5', summary: '5' });
    expect(await call('test_failing')).toMatchObject({ content: 'it went wrong', isError: true });
    expect((await call('test_controls')).content).toBe('red text bell\n[image image/png, 5 bytes, not shown]');
    await serverPid();
  });

  it('asks for approval by default; read-only tools run freely only when the user trusts the marks, or a tool is always allowed', async () => {
    await start({ test: stdio() });
    expect(tool('test_echo').effect).toBe('run');
    await extension.setTrustReadOnly('user:test', true);
    expect(tool('test_echo').effect).toBe('read');
    expect(tool('test_add').effect).toBe('run');
    await extension.setAlwaysAllow('user:test', 'add', true);
    expect(tool('test_add').effect).toBe('read');
    const saved = await new FileMcpPreferences(path.join(sandbox, 'mcp-choices.json')).load();
    expect(saved.servers['user:test']).toEqual({ trustReadOnly: true, alwaysAllow: ['add'] });
  });

  it('turns single tools and whole servers off and on', async () => {
    await start({ test: stdio() });
    const pid = await serverPid();
    await extension.setToolEnabled('user:test', 'echo', false);
    expect(core.tools.get('test_echo')).toBeUndefined();
    expect(state()?.tools.find((entry) => entry.name === 'echo')).toMatchObject({ enabled: false });
    await extension.setToolEnabled('user:test', 'echo', true);
    expect(core.tools.get('test_echo')).toBeDefined();
    await extension.setServerEnabled('user:test', false);
    expect(core.tools.all()).toEqual([]);
    expect(state()).toMatchObject({ state: 'disabled' });
    await expect.poll(() => isAlive(pid), { timeout: 60_000 }).toBe(false);
    await extension.setServerEnabled('user:test', true);
    expect(state()).toMatchObject({ state: 'ready' });
    expect(await call('test_echo', { text: 'back' })).toMatchObject({ content: 'back' });
    await serverPid();
  });

  it('reports a server that crashes during a call, with its exit code and stderr, and starts it again on the next call', async () => {
    await start({ test: stdio() });
    const first = await serverPid();
    const crashed = await call('test_crash');
    expect(crashed.isError).toBe(true);
    await expect.poll(() => state()?.state, { timeout: 60_000 }).toBe('failed');
    expect(state()?.error).toContain('exit code 3');
    expect(state()?.error).toContain('boom: the test server crashed on purpose');
    expect(core.tools.get('test_echo')).toBeDefined();
    expect(await call('test_echo', { text: 'again' })).toMatchObject({ content: 'again' });
    expect(state()?.state).toBe('ready');
    expect(await serverPid()).not.toBe(first);
  });

  it('times a hanging call out and goes on; a server frozen whole is killed and started again on demand', async () => {
    await start({ test: stdio() }, { toolCallTimeoutSeconds: 1 });
    const pid = await serverPid();
    expect(await call('test_hang')).toMatchObject({
      isError: true,
      content: 'hang on MCP server "test" did not answer within 1 s.',
    });
    expect(state()?.state).toBe('ready');
    expect(await call('test_add', { a: 1, b: 1 })).toMatchObject({ content: '2' });
    expect(await call('test_freeze')).toMatchObject({ isError: true });
    expect(state()).toMatchObject({ state: 'failed', error: expect.stringContaining('stopped answering') });
    await expect.poll(() => isAlive(pid), { timeout: 60_000 }).toBe(false);
    expect(await call('test_add', { a: 2, b: 2 })).toMatchObject({ content: '4' });
    await serverPid();
  });

  it('stops waiting when the turn is stopped', async () => {
    await start({ test: stdio() });
    const controller = new AbortController();
    const pending = call('test_hang', {}, controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ isError: true, content: 'Stopped.' });
    expect(await call('test_echo', { text: 'still here' })).toMatchObject({ content: 'still here' });
    await serverPid();
  });

  it('drops a 50 MB answer as it streams, fails only that call, and caps a large one to the output limit', async () => {
    await start({ test: stdio() }, { maxToolOutputChars: 5000 });
    const huge = await call('test_big', { megabytes: 50 });
    expect(huge).toMatchObject({ isError: true, content: expect.stringContaining('over the 16.0 MB Jan accepts') });
    expect(state()?.state).toBe('ready');
    const large = await call('test_big', { megabytes: 1 });
    expect(large.isError).toBeUndefined();
    expect(large.content.length).toBeLessThan(5100);
    expect(large.content).toContain('characters cut');
    await serverPid();
  });

  it('registers tools the server adds later (tools/list_changed)', async () => {
    await start({ test: stdio() });
    await call('test_grow');
    await expect.poll(() => core.tools.get('test_extra') !== undefined, { timeout: 60_000 }).toBe(true);
    expect(await call('test_extra', { text: 'new' })).toMatchObject({ content: 'new' });
    await serverPid();
  });
});

describe('MCP servers that do not start', () => {
  it('reports a server that exits at once with its stderr, one that is not found, one that never answers', async () => {
    await start(
      {
        crashing: stdio('crash-start'),
        missing: { command: path.join(sandbox, 'no-such-server'), args: [] },
        silent: stdio('hang-start', { timeout: 1 }),
        working: stdio(),
      },
      {},
    );
    expect(state('user:crashing')).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('cannot start: missing API key'),
    });
    expect(state('user:missing')).toMatchObject({ state: 'failed', error: expect.stringContaining('ENOENT') });
    expect(state('user:silent')).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('did not answer within 1 s'),
    });
    expect(state('user:working')).toMatchObject({ state: 'ready' });
    expect(logger.messages('error').join('\n')).toContain('MCP server "crashing" could not start');
    await serverPid('working_pid');
  });

  it('gives up on a server that prints garbage instead of MCP, and tolerates a banner line', async () => {
    await start({ garbage: stdio('garbage'), banner: stdio('banner') });
    expect(state('user:garbage')).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('not MCP on stdout (first: "this is not JSON-RPC'),
    });
    expect(state('user:banner')).toMatchObject({ state: 'ready' });
    expect(logger.messages('warn').join('\n')).toContain(
      'printed a line that is not an MCP message: Test server v1 starting',
    );
    await serverPid('banner_pid');
  });
});
