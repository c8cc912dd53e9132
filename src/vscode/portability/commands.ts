import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '@jan/core';
import { exportJanArchive, exportThread, importJanData } from '../../node/portability';
import type { ImportReport } from '../../node/portability';
import type { JanRuntime } from '../../node/runtime';

/** Jan: Export Thread… — Markdown (a file) or Jan JSON (thread.json + messages.jsonl in a folder). */
export async function exportThreadCommand(runtime: JanRuntime, threadId?: string): Promise<void> {
  const id = threadId ?? (await pickThread(runtime));
  if (!id) return;
  const format = await vscode.window.showQuickPick(
    [
      { label: 'Markdown', description: 'readable, code blocks kept', format: 'md' as const },
      {
        label: 'Jan JSON',
        description: 'thread.json + messages.jsonl, importable by Jan desktop',
        format: 'json' as const,
      },
    ],
    { title: 'Export the thread as' },
  );
  if (!format) return;
  const source = { janFolder: runtime.core.context.janFolder, conversational: runtime.conversational };
  try {
    if (format.format === 'md') {
      const thread = await runtime.conversational.getThread(id);
      const target = await vscode.window.showSaveDialog({
        title: 'Export thread as Markdown',
        defaultUri: suggestedFile(`${fileNameOf(thread?.title ?? '') || 'thread'}.md`),
        filters: { Markdown: ['md'] },
      });
      if (!target) return;
      const result = await exportThread(source, id, 'md');
      await writeFile(target.fsPath, result.markdown!);
      report(`Thread exported to ${target.fsPath}.`, result.notIncluded);
    } else {
      const [folder] =
        (await vscode.window.showOpenDialog({
          title: 'Folder to export the thread into',
          canSelectFolders: true,
          canSelectFiles: false,
        })) ?? [];
      if (!folder) return;
      const result = await exportThread(source, id, 'json', folder.fsPath);
      report(`Thread exported to ${result.folder}.`, result.notIncluded);
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`Jan: the thread was not exported: ${errorMessage(error)}`);
  }
}

/** Jan: Export All Threads and Assistants… — the whole `.jan` as one archive. */
export async function exportJanDataCommand(runtime: JanRuntime): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    title: 'Export .jan as an archive',
    defaultUri: suggestedFile(`jan-threads-${new Date().toISOString().slice(0, 10)}.tar.gz`),
    filters: { Archive: ['tar.gz', 'tgz'] },
  });
  if (!target) return;
  try {
    await exportJanArchive(runtime.core.context.janFolder, target.fsPath);
    void vscode.window.showInformationMessage(`Threads and assistants exported to ${target.fsPath}.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Jan: nothing was exported: ${errorMessage(error)}`);
  }
}

/** Jan: Import Threads… — from a Jan desktop data folder or an archive; everything is copied. */
export async function importJanDataCommand(runtime: JanRuntime): Promise<void> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'Jan desktop data folder', description: 'the folder with threads/ and assistants/', folder: true },
      { label: 'Archive', description: 'a .tar.gz made by "Export All Threads and Assistants"', folder: false },
    ],
    { title: 'Import threads and assistants from' },
  );
  if (!kind) return;
  const [source] =
    (await vscode.window.showOpenDialog({
      title: kind.folder ? 'Jan data folder' : 'Archive',
      canSelectFolders: kind.folder,
      canSelectFiles: !kind.folder,
      filters: kind.folder ? undefined : { Archive: ['tar.gz', 'tgz'] },
    })) ?? [];
  if (!source) return;
  try {
    const result = await importJanData(source.fsPath, runtime.core.context.janFolder);
    await announce(runtime, result);
    const renamed = result.threads.imported.filter((item) => item.from !== item.to).length;
    void vscode.window.showInformationMessage(
      `Imported ${result.threads.imported.length} threads and ${result.assistants.imported.length} assistants` +
        (renamed ? ` (${renamed} got new ids: theirs were taken)` : '') +
        (result.threads.skipped.length ? `; ${result.threads.skipped.length} skipped (see the log)` : '') +
        '.',
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Jan: nothing was imported: ${errorMessage(error)}`);
  }
}

async function pickThread(runtime: JanRuntime): Promise<string | undefined> {
  const { threads } = await runtime.conversational.listThreads();
  if (threads.length === 0) {
    void vscode.window.showInformationMessage('There is no thread to export yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    threads.map((thread) => ({ label: thread.title, description: thread.id, id: thread.id })),
    { title: 'Thread to export' },
  );
  return picked?.id;
}

/** The chat's thread list updates on OnThreadUpdated, the assistant pickers on OnAssistantsChanged; skipped items go to the log. */
async function announce(runtime: JanRuntime, result: ImportReport): Promise<void> {
  for (const item of result.threads.imported) {
    const thread = await runtime.conversational.getThread(item.to).catch(() => undefined);
    if (thread) runtime.core.events.emit('OnThreadUpdated', thread);
  }
  if (result.assistants.imported.length > 0) await runtime.assistants.refresh();
  for (const item of [...result.threads.skipped, ...result.assistants.skipped])
    runtime.core.context.logger.warn(`Import skipped ${item.id}: ${item.reason}`);
}

/** The save dialog opens on this name in the workspace folder (else the home folder), ready to confirm. */
function suggestedFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file')?.uri.fsPath;
  return vscode.Uri.file(path.join(folder ?? homedir(), name));
}

/** A thread title as a file name on every platform: no path or reserved characters, short. */
export function fileNameOf(title: string): string {
  return title
    .replace(/[<>:"/\\|?*\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '')
    .slice(0, 80)
    .trim();
}

function report(text: string, notIncluded: readonly string[]): void {
  if (notIncluded.length === 0) void vscode.window.showInformationMessage(text);
  else void vscode.window.showWarningMessage(`${text} Not included (outside the thread): ${notIncluded.join(', ')}`);
}
