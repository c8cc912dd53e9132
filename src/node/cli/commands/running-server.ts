import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DEFAULT_PORT } from '../../server';
import type { GlobalOptions } from '../cli-runtime';
import { printResult } from '../output';

interface ServerFlags {
  url: string;
  keyFile?: string;
}

interface ListedModel {
  id: string;
  owned_by?: string;
  status?: { value?: string };
}

/**
 * `ps` and `stop` ask a running API server (`jan-vscode serve`, or the editor's "Jan: Start API
 * Server") which models it holds in memory and to free one, as `ollama ps` / `ollama stop` do:
 * the models live in that process, not in this one.
 */
export function registerRunningServer(program: Command): void {
  serverOptions(
    program
      .command('ps')
      .description('The models a running API server holds in memory (JAN_API_KEY or --key-file for its key)'),
  ).action(async (flags: ServerFlags, command: Command) => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const listed = (await request<{ data: ListedModel[] }>(flags, 'GET', '/v1/models')).data;
    const loaded = listed.filter((model) => model.status?.value === 'loaded');
    printResult(
      globals,
      loaded.map((model) => ({ id: model.id, engine: model.owned_by ?? '' })),
      () => (loaded.length ? loaded.map((model) => `${model.id}\t${model.owned_by ?? ''}`) : []),
    );
    if (!loaded.length && !globals.json) process.stderr.write(`No model is loaded in the server at ${flags.url}.\n`);
  });

  serverOptions(
    program
      .command('stop')
      .description('Unload a model from a running API server, freeing its memory (its next request loads it again)')
      .argument('<model>', 'the model id ("jan-vscode ps" lists the loaded ones)'),
  ).action(async (model: string, flags: ServerFlags, command: Command) => {
    const result = await request<{ unloaded: boolean }>(flags, 'POST', '/models/unload', { model });
    printResult(command.optsWithGlobals<GlobalOptions>(), { model, unloaded: result.unloaded }, () => [
      result.unloaded ? `Unloaded ${model}.` : `${model} was not loaded.`,
    ]);
  });
}

function serverOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the server', `http://127.0.0.1:${DEFAULT_PORT}`)
    .option('--key-file <file>', 'read the API key from this file (JAN_API_KEY wins)');
}

async function request<T>(flags: ServerFlags, method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  const root = flags.url.replace(/\/+$/, '').replace(/\/v1$/, '');
  const key = process.env.JAN_API_KEY?.trim() || (flags.keyFile ? (await readFile(flags.keyFile, 'utf8')).trim() : '');
  let response: Response;
  try {
    response = await fetch(`${root}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(
      `No API server answers at ${root}. Start one with "jan-vscode serve" (or "Jan: Start API Server"), or give its address with --url.`,
    );
  }
  const answer = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  if (response.status === 401)
    throw new Error(`The server at ${root} refused the key: set JAN_API_KEY (or --key-file) to its API key.`);
  if (!response.ok)
    throw new Error(answer?.error?.message ?? `The server at ${root} answered HTTP ${response.status}.`);
  return answer as T;
}
