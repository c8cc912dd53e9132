import * as path from 'node:path';
import type { Command } from 'commander';
import { exportJanArchive, importJanData } from '../../portability';
import type { ImportReport } from '../../portability';
import { janFolderOf } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';
import { printResult } from '../output';
import { writeOutputFile } from '../output-file';

export function registerArchive(program: Command): void {
  program
    .command('import')
    .description(
      'Copy threads and assistants from a Jan desktop data folder or a .jan archive into --data (ids that clash get new ones; nothing in the source changes)',
    )
    .argument('<source>', 'a Jan data folder or an archive made by "export"')
    .action(async (source: string, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const report = await importJanData(path.resolve(source), janFolderOf(globals));
      printResult(globals, report, () => describeImport(report));
    });

  program
    .command('export')
    .description('Write the whole .jan folder (threads and assistants) as one .tar.gz archive')
    .argument('<file>', 'the archive to write (an existing file is not replaced unless --force)')
    .option('--force', 'replace the file if it exists')
    .action(async (file: string, options: { force?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      let entries = 0;
      await writeOutputFile(
        file,
        async (temp) => void ({ entries } = await exportJanArchive(janFolderOf(globals), temp)),
        options.force,
      );
      printResult(globals, { file: path.resolve(file), entries }, () => [`${path.resolve(file)} (${entries} entries)`]);
    });
}

export function describeImport(report: ImportReport): string[] {
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
  return lines;
}
