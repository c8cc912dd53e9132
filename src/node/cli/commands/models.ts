import type { Command } from 'commander';
import { formatProgress } from '../progress';
import { withRuntime } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';

export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('List, import and download models (the folder the editor uses, or --models)');

  models
    .command('list')
    .description('Every installed model: id, engine, name')
    .action(async (_options: unknown, command: Command) => {
      await withRuntime(command.optsWithGlobals<GlobalOptions>(), async (runtime) => {
        for (const model of (await runtime.models.listModels()).models)
          process.stdout.write(`${model.id}\t${model.engine}\t${model.name}\n`);
      });
    });

  models
    .command('import')
    .description('Install a GGUF file (used where it is unless --copy)')
    .argument('<file>', 'the .gguf file')
    .option('--copy', 'copy the file into the models folder')
    .option('--name <name>', 'display name')
    .action(async (file: string, options: { copy?: boolean; name?: string }, command: Command) => {
      await withRuntime(command.optsWithGlobals<GlobalOptions>(), async (runtime) => {
        const model = await runtime.models.importModel(file, {
          mode: options.copy ? 'copy' : 'reference',
          name: options.name,
          onProgress: (copied, total) => process.stderr.write(`\rcopying ${formatProgress(copied, total)}`),
        });
        if (options.copy) process.stderr.write('\n');
        process.stdout.write(`${model.id}\n`);
      });
    });

  models
    .command('download')
    .description('Download a GGUF (https URL or hf:<user>/<repo>/<file>); progress on stderr')
    .argument('<uri>', 'https://… or hf:…')
    .option('--sha256 <hash>', 'check the file against this hash')
    .action(async (uri: string, options: { sha256?: string }, command: Command) => {
      await withRuntime(command.optsWithGlobals<GlobalOptions>(), async (runtime) => {
        const model = await runtime.models.downloadModel(
          { uri, sha256: options.sha256 },
          {
            onProgress: (progress) =>
              process.stderr.write(
                `\r${progress.phase} ${formatProgress(progress.downloadedBytes, progress.totalBytes)}`,
              ),
          },
        );
        process.stderr.write('\n');
        process.stdout.write(`${model.id}\n`);
      });
    });
}
