import * as path from 'node:path';
import type { Command } from 'commander';
import { exportJanArchive, importJanData } from '../../portability';
import type { ImportReport } from '../../portability';
import type { GlobalOptions } from '../cli-runtime';

export function registerArchive(program: Command): void {
  program
    .command('import')
    .description(
      'Copy threads and assistants from a Jan desktop data folder or a .jan archive into --data (ids that clash get new ones; nothing in the source changes)',
    )
    .argument('<source>', 'a Jan data folder or an archive made by "export"')
    .action(async (source: string, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const report = await importJanData(path.resolve(source), path.resolve(globals.data ?? '.jan'));
      process.stdout.write(describeImport(report));
    });

  program
    .command('export')
    .description('Write the whole .jan folder (threads and assistants) as one .tar.gz archive')
    .argument('<file>', 'the archive to write')
    .action(async (file: string, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const written = await exportJanArchive(path.resolve(globals.data ?? '.jan'), path.resolve(file));
      process.stdout.write(`${written.file} (${written.entries} entries)\n`);
    });
}

export function describeImport(report: ImportReport): string {
  const lines: string[] = [];
  for (const [kind, part] of [
    ['thread', report.threads],
    ['assistant', report.assistants],
  ] as const) {
    for (const item of part.imported)
      lines.push(
        item.from === item.to
          ? `imported ${kind} ${item.to}`
          : `imported ${kind} ${item.from} as ${item.to} (the id was taken)`,
      );
    for (const item of part.skipped) lines.push(`skipped ${kind} ${item.id}: ${item.reason}`);
  }
  lines.push(`${report.threads.imported.length} threads and ${report.assistants.imported.length} assistants imported`);
  return lines.join('\n') + '\n';
}
