import type { Command } from 'commander';
import { DEFAULT_PORT, PortInUseError, startApiServer } from '../../server';
import { resolveApiKey } from '../api-key-file';
import { openRuntime } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';
import { integer, listOption } from '../parse';
import type { JanRuntime } from '../../runtime';

interface ServeOptions {
  host: string;
  port: number;
  keyFile?: string;
  allowHost: string[];
  corsOrigin: string[];
  queue?: number;
  logPrompts?: boolean;
  model?: string;
}

/**
 * What a user who binds beyond this machine must know: the Host check still admits only the
 * loopback names and the `--allow-host` ones, so LAN clients get 403 until their name is listed.
 */
export function reachableFromOtherMachines(host: string, allowed: string[]): string | undefined {
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  if (loopback) return undefined;
  const names = allowed.length ? ` (allowed now: ${allowed.join(', ')})` : '';
  return (
    `Note: listening on ${host}: other machines can connect, but the server answers 403 to any Host name it does not know${names}. ` +
    'Add the name or address LAN clients use with --allow-host <name> (repeatable); they need the API key too.'
  );
}

/** `serve --model`: the model is loaded before the address is printed, so the first request does not wait for it. */
async function preload(runtime: JanRuntime, modelId: string): Promise<void> {
  const listed = (await runtime.inference.listModels()).map((model) => model.id);
  if (!listed.includes(modelId))
    throw new Error(`There is no model "${modelId}". "jan-vscode models list" shows the installed ones.`);
  process.stderr.write(`Loading ${modelId}…\n`);
  await runtime.inference.prepare(await runtime.inference.choiceFor(modelId));
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the OpenAI-compatible API server (http://127.0.0.1:1337/v1) until interrupted')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on', integer('port'), DEFAULT_PORT)
    .option(
      '--key-file <file>',
      'read the API key from this 0600 file (created with a new key when missing); JAN_API_KEY wins',
    )
    .option('--allow-host <name>', 'also accept this Host header (repeatable)', listOption, [])
    .option(
      '--cors-origin <origin>',
      'allow browser calls from this origin (repeatable; none by default)',
      listOption,
      [],
    )
    .option('--queue <n>', 'requests that may wait for one model before 429', integer('queue'))
    .option('--log-prompts', 'write prompt text to the log (off by default)')
    .option('--model <id>', 'load this model before serving, and answer requests that name no model with it')
    .action(async (options: ServeOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { key, generated, source } = await resolveApiKey(process.env, options.keyFile);
      const runtime = await openRuntime({ ...globals, verbose: true });
      let server;
      try {
        server = await startApiServer(runtime, {
          defaultModel: options.model,
          host: options.host,
          port: options.port,
          apiKey: key,
          allowedHosts: options.allowHost,
          corsOrigins: options.corsOrigin,
          queuePerModel: options.queue,
          logPrompts: options.logPrompts ?? false,
        });
        if (options.model)
          await preload(runtime, options.model).catch(async (error: unknown) => {
            await server!.close();
            throw error;
          });
      } catch (error) {
        await runtime.stop();
        if (error instanceof PortInUseError && error.nextFree)
          throw new Error(`${error.message} (jan-vscode serve --port ${error.nextFree})`);
        throw error;
      }
      process.stdout.write(`Jan API server: ${server.baseUrl}\n`);
      process.stdout.write(generated ? `API key (${source}; shown once): ${key}\n` : `API key: from ${source}\n`);
      const lan = reachableFromOtherMachines(options.host, options.allowHost);
      if (lan) process.stderr.write(`${lan}\n`);
      const stop = async () => {
        await server.close();
        await runtime.stop();
      };
      await new Promise<void>((resolve) => {
        const onSignal = () => void stop().finally(resolve);
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
    });
}
