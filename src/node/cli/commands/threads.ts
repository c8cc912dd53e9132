import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { exportThread } from '../../portability';
import type { ThreadExportFormat } from '../../portability';
import { withRuntime } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';
import { note, printResult } from '../output';
import { writeOutputFile } from '../output-file';

export function registerThreads(program: Command): void {
  const threads = program.command('threads').description('The chat threads in .jan (--data)');

  threads
    .command('list')
    .description('Every thread, newest first: id, last update, title')
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withRuntime(globals, async (runtime) => {
        const { threads: list } = await runtime.conversational.listThreads();
        const rows = list.map((thread) => ({
          id: thread.id,
          updated: new Date(thread.updated).toISOString(),
          title: thread.title,
          model: thread.assistants[0]?.model.id,
        }));
        printResult(globals, rows, () => rows.map((row) => `${row.id}\t${row.updated}\t${row.title}`));
      });
    });

  threads
    .command('show')
    .description('A thread as Markdown on stdout')
    .argument('<id>', 'thread id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withRuntime(command.optsWithGlobals<GlobalOptions>(), async (runtime) => {
        const result = await exportThread(
          { janFolder: runtime.core.context.janFolder, conversational: runtime.conversational },
          id,
          'md',
        );
        process.stdout.write(result.markdown!);
      });
    });

  threads
    .command('export')
    .description(
      'Export a thread: Markdown (stdout or --out file), or Jan JSON (thread.json + messages.jsonl in --out folder/<id>/)',
    )
    .argument('<id>', 'thread id')
    .addOption(new Option('--format <format>', 'md or json').choices(['md', 'json']).default('md'))
    .option('--out <path>', 'file (md) or folder (json; default: the current folder)')
    .option('--force', 'replace the --out file if it exists')
    .action(
      async (id: string, options: { format: ThreadExportFormat; out?: string; force?: boolean }, command: Command) => {
        await withRuntime(command.optsWithGlobals<GlobalOptions>(), async (runtime) => {
          const source = { janFolder: runtime.core.context.janFolder, conversational: runtime.conversational };
          const result = await exportThread(
            source,
            id,
            options.format,
            options.format === 'json' ? path.resolve(options.out ?? '.') : undefined,
          );
          if (result.markdown !== undefined) {
            if (!options.out) process.stdout.write(result.markdown);
            else {
              await writeOutputFile(options.out, (file) => writeFile(file, result.markdown!), options.force);
              process.stdout.write(`${path.resolve(options.out)}\n`);
            }
          }
          if (result.folder) process.stdout.write(`${result.folder}\n`);
          for (const file of result.notIncluded) note(`not included (outside the thread): ${file}`);
        });
      },
    );

  threads
    .command('delete')
    .description('Delete a thread and its messages from .jan')
    .argument('<id>', 'thread id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withRuntime(globals, async (runtime) => {
        const thread = await runtime.conversational.getThread(id);
        if (!thread) throw new Error(`Thread ${id} was not found in ${runtime.core.context.janFolder}.`);
        await runtime.conversational.deleteThread(id);
        printResult(globals, { id, deleted: true }, () => [`Deleted thread ${id} (${thread.title}).`]);
      });
    });
}
