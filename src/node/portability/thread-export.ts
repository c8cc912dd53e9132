import { cp, mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ConversationalExtension } from '@jan/core';
import { externalReferences } from './attachments';
import { isStoreScratch, readRawMessages, threadFolder } from './thread-files';
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
  /** Files the thread refers to outside itself, not part of the export. */
  notIncluded: string[];
}

/**
 * One thread, the CLI's `threads export` and the editor's "Export Thread" alike: Markdown for
 * reading, or Jan's own files (thread.json + messages.jsonl, everything in the thread's folder,
 * byte for byte, so unknown fields and lines survive) for Jan desktop to import.
 */
export async function exportThread(
  source: ThreadExportSource,
  threadId: string,
  format: ThreadExportFormat,
  targetFolder?: string,
): Promise<ThreadExport> {
  const thread = await source.conversational.getThread(threadId);
  if (!thread) throw new Error(`Thread ${threadId} was not found in ${source.janFolder}.`);
  const folder = threadFolder(source.janFolder, threadId);
  const notIncluded = externalReferences(await readRawMessages(path.join(folder, 'messages.jsonl')));
  if (format === 'md') {
    const { messages } = await source.conversational.listMessages(threadId);
    return { markdown: threadToMarkdown(thread, messages, notIncluded), notIncluded };
  }
  if (!targetFolder) throw new Error('A Jan JSON export needs a folder to write the thread into.');
  const target = path.join(targetFolder, threadId);
  if (await exists(target)) throw new Error(`${target} already exists; nothing was written.`);
  await mkdir(targetFolder, { recursive: true });
  await cp(folder, target, {
    recursive: true,
    errorOnExist: true,
    force: false,
    filter: (file) => !isStoreScratch(path.basename(file)),
  });
  return { folder: target, notIncluded };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
