import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DataFolder, openFolder, writeFiles, type ConversationalExtension } from '@jan/core';
import { externalReferences } from './attachments';
import { rawMessages, threadFiles } from './thread-files';
import { threadToMarkdown } from './thread-markdown';

export type ThreadExportFormat = 'md' | 'json';

export interface ThreadExportSource {
  janFolder: string;
  conversational: Pick<ConversationalExtension, 'getThread' | 'listMessages'>;
}

export interface ThreadExport {
  /** The Markdown text (format md). */
  markdown?: string;
  /** The folder written (format json): `<target>/<thread id>/` with thread.json and messages.jsonl. */
  folder?: string;
  /** Files the thread refers to outside itself, and entries of its folder that are not files: not part of the export. */
  notIncluded: string[];
}

/**
 * One thread, the CLI's `threads export` and the editor's "Export Thread" alike: Markdown for
 * reading, or Jan's own files (every regular file in the thread's folder, byte for byte, so
 * unknown fields and lines survive) for Jan desktop to import. The thread's files are read through
 * the store (src/core/store/folder-files.ts): a link or a FIFO in the folder is named in
 * `notIncluded`, never followed or read.
 */
export async function exportThread(
  source: ThreadExportSource,
  threadId: string,
  format: ThreadExportFormat,
  targetFolder?: string,
): Promise<ThreadExport> {
  const thread = await source.conversational.getThread(threadId);
  if (!thread) throw new Error(`Thread ${threadId} was not found in ${source.janFolder}.`);
  const { files, skipped } = await threadFiles(new DataFolder(source.janFolder), threadId);
  const notIncluded = [
    ...externalReferences(rawMessages(files.get('messages.jsonl'))),
    ...skipped.map((entry) => `${path.join(source.janFolder, 'threads', threadId, entry.path)} (${entry.reason})`),
  ];
  if (format === 'md') {
    const { messages } = await source.conversational.listMessages(threadId);
    return { markdown: threadToMarkdown(thread, messages, notIncluded), notIncluded };
  }
  if (!targetFolder) throw new Error('A Jan JSON export needs a folder to write the thread into.');
  const target = path.join(targetFolder, threadId);
  await fs.mkdir(targetFolder, { recursive: true });
  await fs.mkdir(target).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'EEXIST')
      throw new Error(`${target} already exists; nothing was written.`);
    throw error;
  });
  const folder = await openFolder(target);
  try {
    await writeFiles(folder, files);
  } finally {
    await folder.close();
  }
  return { folder: target, notIncluded };
}
