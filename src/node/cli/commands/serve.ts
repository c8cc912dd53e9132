import type { Command } from 'commander';
import { DEFAULT_PORT, PortInUseError, startApiServer } from '../../server';
import { resolveApiKey } from '../api-key-file';
import { openRuntime } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';
import { integer, listOption } from '../parse';

interface ServeOptions {
  host: string;
  port: number;
  keyFile?: string;
  allowHost: string[];
  corsOrigin: string[];
  queue?: number;
  logPrompts?: boolean;
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
    .action(async (options: ServeOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { key, generated, source } = await resolveApiKey(process.env, options.keyFile);
      const runtime = await openRuntime({ ...globals, verbose: true });
      let server;
      try {
        server = await startApiServer(runtime, {
          host: options.host,
          port: options.port,
          apiKey: key,
          allowedHosts: options.allowHost,
          corsOrigins: options.corsOrigin,
          queuePerModel: options.queue,
          logPrompts: options.logPrompts ?? false,
        });
      } catch (error) {
        await runtime.stop();
        if (error instanceof PortInUseError && error.nextFree)
          throw new Error(`${error.message} (jan-vscode serve --port ${error.nextFree})`);
        throw error;
      }
      process.stdout.write(`Jan API server: ${server.baseUrl}\n`);
      process.stdout.write(generated ? `API key (${source}; shown once): ${key}\n` : `API key: from ${source}\n`);
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
