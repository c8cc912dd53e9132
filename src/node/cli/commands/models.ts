import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatBytes, readGgufHeader } from '../../../../extensions/models';
import { formatProgress } from '../progress';
import { withRuntime } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';
import { note, printResult } from '../output';

export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('List, show, import, download and remove models (the folder every editor shares, or --models)');

  models
    .command('list')
    .description('Every installed model: id, engine, name')
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withRuntime(globals, async (runtime) => {
        const { models: installed, warnings } = await runtime.models.listModels();
        printResult(
          globals,
          installed.map((model) => ({ id: model.id, engine: model.engine, name: model.name })),
          () => installed.map((model) => `${model.id}\t${model.engine}\t${model.name}`),
        );
        for (const warning of warnings) note(`skipped ${warning.path}: ${warning.message}`);
        if (!installed.length && !globals.json) note(`No model is installed in ${runtime.models.modelsFolder}.`);
      });
    });

  models
    .command('show')
    .description("A model's details: its file, size, architecture, contexts, chat template")
    .argument('<id>', 'the model id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withRuntime(globals, async (runtime) => {
        const resolved = await runtime.models.resolveModel(id);
        if (!resolved) throw new Error(`There is no model "${id}" in ${runtime.models.modelsFolder}.`);
        const { model, filePath } = resolved;
        const size = (await stat(filePath).catch(() => undefined))?.size;
        const header = await readGgufHeader(filePath).catch(() => undefined);
        const info = {
          id: model.id,
          name: model.name,
          engine: model.engine,
          file: filePath,
          ...(size !== undefined ? { size } : {}),
          referenced_in_place: await runtime.models.isReferencedInPlace(id),
          ...(header?.architecture ? { architecture: header.architecture } : {}),
          ...(header?.contextLength ? { training_context: header.contextLength } : {}),
          ...(model.settings.ctx_len ? { context: model.settings.ctx_len } : {}),
          ...(header ? { chat_template: header.hasChatTemplate } : {}),
          ...(header?.license ? { license: header.license } : {}),
          ...(model.description ? { description: model.description } : {}),
        };
        printResult(globals, info, () =>
          Object.entries(info).map(
            ([key, value]) => `${key}\t${key === 'size' ? formatBytes(value as number) : String(value)}`,
          ),
        );
      });
    });

  models
    .command('import')
    .description('Install a GGUF file (used where it is unless --copy)')
    .argument('<file>', 'the .gguf file')
    .option('--copy', 'copy the file into the models folder')
    .option('--name <name>', 'display name')
    .action(async (file: string, options: { copy?: boolean; name?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withRuntime(globals, async (runtime) => {
        const model = await runtime.models.importModel(file, {
          mode: options.copy ? 'copy' : 'reference',
          name: options.name,
          onProgress: (copied, total) => process.stderr.write(`\rcopying ${formatProgress(copied, total)}`),
        });
        if (options.copy) process.stderr.write('\n');
        printResult(globals, { id: model.id }, () => [model.id]);
      });
    });

  models
    .command('download')
    .description('Download a GGUF (https URL or hf:<user>/<repo>/<file>); progress on stderr')
    .argument('<uri>', 'https://… or hf:…')
    .option('--sha256 <hash>', 'check the file against this hash')
    .action(async (uri: string, options: { sha256?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withRuntime(globals, async (runtime) => {
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
        printResult(globals, { id: model.id }, () => [model.id]);
      });
    });

  models
    .command('remove')
    .description(
      'Delete a model: its folder (model.json and a copied or downloaded file); a file imported in place is kept',
    )
    .argument('<id>', 'the model id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withRuntime(globals, async (runtime) => {
        const resolved = await runtime.models.resolveModel(id);
        const kept = resolved && (await runtime.models.isReferencedInPlace(id)) ? resolved.filePath : undefined;
        await runtime.models.deleteModel(id);
        printResult(globals, { id, removed: true, ...(kept ? { kept_file: kept } : {}) }, () => [
          `Removed ${id}.${kept ? ` Its file ${kept} was imported in place and is kept.` : ''}`,
        ]);
      });
    });
}
