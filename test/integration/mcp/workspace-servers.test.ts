import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JanCore, MemoryLogger } from '@jan/core';
import { FileMcpPreferences, McpExtension, type McpHost, type McpServerConfig } from '../../../extensions/mcp';

const SERVER = fileURLToPath(new URL('../../fixtures/mcp/test-server.mjs', import.meta.url));

let sandbox: string;
let janFolder: string;
let core: JanCore | undefined;
let extension: McpExtension;

/** A host whose trust the test sets and whose answers it scripts; it records each question. */
class ScriptedHost implements McpHost {
  trusted = true;
  answers: boolean[] = [];
  readonly asked: McpServerConfig[] = [];
  isTrusted(): boolean {
    return this.trusted;
  }
  async allowWorkspaceServer(server: McpServerConfig): Promise<boolean> {
    this.asked.push(server);
    return this.answers.shift() ?? false;
  }
}

function workspaceConfig(args: string[] = [SERVER]): void {
  writeFileSync(
    path.join(janFolder, 'mcp.json'),
    JSON.stringify({ mcpServers: { repo: { command: process.execPath, args } } }),
  );
}

async function start(host?: McpHost): Promise<void> {
  await core?.stop();
  core = new JanCore({ janFolder, modelsFolder: sandbox, logger: new MemoryLogger() });
  extension = new McpExtension(core.context, {
    ...(host ? { host } : {}),
    preferences: new FileMcpPreferences(path.join(sandbox, 'choices.json')),
    workspaceRoot: sandbox,
  });
  core.register(extension);
  await core.start();
  await extension.ready;
}

const repo = () => extension.servers().find((server) => server.key === 'workspace:repo');

beforeEach(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'jan-mcp-ws-'));
  janFolder = path.join(sandbox, '.jan');
  mkdirSync(janFolder);
});

afterEach(async () => {
  await core?.stop();
  core = undefined;
  rmSync(sandbox, { recursive: true, force: true });
});

describe("a workspace's .jan/mcp.json", () => {
  it('never starts in an untrusted workspace, or without a host to ask, and asks nobody', async () => {
    workspaceConfig();
    const host = new ScriptedHost();
    host.trusted = false;
    await start(host);
    expect(repo()).toMatchObject({
      state: 'blocked',
      scope: 'workspace',
      error: expect.stringContaining('not trusted'),
    });
    expect(host.asked).toEqual([]);
    expect(core?.tools.all()).toEqual([]);
    await start();
    expect(repo()?.state).toBe('blocked');
  });

  it('asks once per server, remembers the answer, and asks again when what it runs changes', async () => {
    workspaceConfig();
    const host = new ScriptedHost();
    host.answers = [true];
    await start(host);
    expect(host.asked.map((server) => server.name)).toEqual(['repo']);
    expect(repo()?.state).toBe('ready');
    expect(core?.tools.get('repo_echo')?.source).toBe('mcp:repo');
    await start(host);
    expect(host.asked).toHaveLength(1);
    expect(repo()?.state).toBe('ready');
    workspaceConfig([SERVER, 'banner']);
    host.answers = [false];
    await extension.reload();
    expect(host.asked).toHaveLength(2);
    expect(host.asked[1].args).toEqual([SERVER, 'banner']);
    expect(repo()).toMatchObject({ state: 'blocked', error: expect.stringContaining('did not allow') });
    expect(core?.tools.all()).toEqual([]);
    await start(host);
    expect(host.asked).toHaveLength(2);
    expect(repo()?.state).toBe('blocked');
  });

  it('refuses a config that is a link out of .jan, and reports it', async () => {
    const elsewhere = path.join(sandbox, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ mcpServers: { repo: { command: process.execPath, args: [SERVER] } } }));
    symlinkSync(elsewhere, path.join(janFolder, 'mcp.json'));
    const host = new ScriptedHost();
    host.answers = [true];
    await start(host);
    expect(repo()).toBeUndefined();
    expect(host.asked).toEqual([]);
    expect(extension.problems.join('\n')).toContain('symbolic link');
  });
});
