import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { exportThread } from '../../portability';
import type { ThreadExportFormat } from '../../portability';
import { withRuntime } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';

export function registerThreads(program: Command): void {
  const threads = program.command('threads').description('The chat threads in .jan (--data)');

  threads
    .command('list')
    .description('Every thread, newest first: id, last update, title')
    .action(async (_options: unknown, command: Command) => {
      await withRuntime(command.optsWithGlobals<GlobalOptions>(), async (runtime) => {
        for (const thread of (await runtime.conversational.listThreads()).threads) {
          process.stdout.write(`${thread.id}\t${new Date(thread.updated).toISOString()}\t${thread.title}\n`);
        }
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
    .action(async (id: string, options: { format: ThreadExportFormat; out?: string }, command: Command) => {
      await withRuntime(command.optsWithGlobals<GlobalOptions>(), async (runtime) => {
        const source = { janFolder: runtime.core.context.janFolder, conversational: runtime.conversational };
        const result = await exportThread(
          source,
          id,
          options.format,
          options.format === 'json' ? path.resolve(options.out ?? '.') : undefined,
        );
        if (result.markdown !== undefined) {
          if (options.out) await writeFile(options.out, result.markdown, { flag: 'wx' });
          else process.stdout.write(result.markdown);
        }
        if (result.folder) process.stdout.write(`${result.folder}\n`);
        for (const file of result.notIncluded) process.stderr.write(`not included (outside the thread): ${file}\n`);
      });
    });
}
