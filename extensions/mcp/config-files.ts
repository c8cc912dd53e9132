/**
 * Reading the two config files: the user's (Jan desktop's `mcp_config.json`, or one of our own)
 * and the workspace's `.jan/mcp.json`. The workspace's goes through the data folder, which
 * refuses links out of `.jan`, FIFOs and devices. Neither is ever written here.
 */
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DataFolder, errorMessage } from '@jan/core';
import { parseMcpConfig, type McpScope, type ParsedMcpConfig } from './config';

/** A config bigger than this is not a list of servers. */
const MAX_CONFIG_BYTES = 1024 * 1024;
export const WORKSPACE_CONFIG_NAME = 'mcp.json';

const none = (problem?: string): ParsedMcpConfig => ({ servers: [], settings: {}, problems: problem ? [problem] : [] });

function parseText(text: string, scope: McpScope, file: string): ParsedMcpConfig {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return none(`${file} is not valid JSON: ${errorMessage(error)}`);
  }
  const parsed = parseMcpConfig(value, scope);
  return { ...parsed, problems: parsed.problems.map((problem) => `${file}: ${problem}`) };
}

export async function readUserConfig(file: string): Promise<ParsedMcpConfig> {
  let handle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return none();
    return none(`${file} cannot be read: ${errorMessage(error)}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return none(`${file} is not a regular file`);
    if (stats.size > MAX_CONFIG_BYTES) return none(`${file} is over 1 MB; not read`);
    return parseText(await handle.readFile('utf8'), 'user', file);
  } finally {
    await handle.close();
  }
}

export async function readWorkspaceConfig(janFolder: string): Promise<ParsedMcpConfig> {
  const file = path.join(janFolder, WORKSPACE_CONFIG_NAME);
  const size = await fs.stat(file).then(
    (stats) => stats.size,
    () => 0,
  );
  if (size > MAX_CONFIG_BYTES) return none(`${file} is over 1 MB; not read`);
  try {
    const read = await new DataFolder(janFolder).readJson(file);
    if (read.status === 'missing') return none();
    if (read.status === 'invalid') return none(`${file}: ${read.error}`);
    const parsed = parseMcpConfig(read.value, 'workspace');
    return { ...parsed, problems: parsed.problems.map((problem) => `${file}: ${problem}`) };
  } catch (error) {
    return none(errorMessage(error));
  }
}
