import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTEXT_ANNOTATION, MemoryLogger, contextBlock, textContent } from '@jan/core';
import type { ThreadMessage } from '@jan/core';
import { JanRuntime } from '../../../src/node/runtime';
import { exportJanArchive, exportThread, importJanData } from '../../../src/node/portability';

let root: string;
let runtime: JanRuntime;

function newRuntime(janFolder: string): JanRuntime {
  return new JanRuntime({
    janFolder,
    modelsFolder: path.join(root, 'models'),
    logger: new MemoryLogger(),
    workerPath: path.join(root, 'unused-worker.mjs'),
    downloadWorkerPath: path.join(root, 'unused-download.mjs'),
  });
}

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-portability-'));
  runtime = newRuntime(path.join(root, '.jan'));
  await runtime.start();
});

afterEach(async () => {
  await runtime.stop();
  rmSync(root, { recursive: true, force: true });
});

async function threadWithMessages(texts: Array<[ThreadMessage['role'], string]>): Promise<string> {
  const { assistants } = await runtime.assistants.listAssistants();
  const jan = assistants[0]!;
  const thread = await runtime.conversational.createThread({
    title: 'Sorting in Rust',
    assistants: [
      {
        assistant_id: jan.id,
        assistant_name: jan.name,
        model: { id: 'm', engine: 'llamacpp', settings: {}, parameters: {} },
      },
    ],
  });
  for (const [index, [role, text]] of texts.entries()) {
    await runtime.conversational.appendMessage({
      id: `MSG${index}`,
      object: 'thread.message',
      thread_id: thread.id,
      role,
      content: textContent(text),
      status: 'ready',
      created: 1,
      updated: 1,
      metadata: role === 'assistant' ? { model: 'qwen' } : {},
    });
  }
  return thread.id;
}

/** A Jan desktop data folder as Jan writes it, with fields this project does not know. */
function writeDesktopFolder(
  folder: string,
  threads: Array<{ id: string; title: string; lines: string[] }>,
  assistants: Array<Record<string, unknown>>,
): void {
  for (const thread of threads) {
    const dir = path.join(folder, 'threads', thread.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'thread.json'),
      JSON.stringify(
        {
          id: thread.id,
          object: 'thread',
          title: thread.title,
          assistants: [],
          created: 1,
          updated: 2,
          desktop_only: { pinned: true },
        },
        null,
        2,
      ),
    );
    writeFileSync(path.join(dir, 'messages.jsonl'), thread.lines.join('\n') + '\n');
  }
  for (const assistant of assistants) {
    const dir = path.join(folder, 'assistants', String(assistant.id));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'assistant.json'), JSON.stringify(assistant, null, 2));
  }
}

function message(threadId: string, id: string, text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    object: 'thread.message',
    thread_id: threadId,
    role: 'user',
    content: textContent(text),
    status: 'ready',
    created: 1,
    updated: 1,
    ...extra,
  });
}

describe('exporting a thread', () => {
  it('as Markdown: headings per message, code blocks kept, files outside the thread named', async () => {
    const id = await threadWithMessages([
      ['user', 'Sort a vec?'],
      ['assistant', 'Use sort:\n\n```rust\nv.sort();\n```'],
    ]);
    const folder = path.join(root, '.jan', 'threads', id);
    const withAttachment = message(id, 'MSG9', 'see file', {
      attachments: [{ file_id: '/home/me/spec.pdf', tools: [] }],
    });
    writeFileSync(
      path.join(folder, 'messages.jsonl'),
      readFileSync(path.join(folder, 'messages.jsonl'), 'utf8') + withAttachment + '\n',
    );
    const result = await exportThread(
      { janFolder: path.join(root, '.jan'), conversational: runtime.conversational },
      id,
      'md',
    );
    expect(result.markdown).toContain('# Sorting in Rust');
    expect(result.markdown).toContain('## User\n\nSort a vec?');
    expect(result.markdown).toContain('## Assistant (qwen)');
    expect(result.markdown).toContain('```rust\nv.sort();\n```');
    expect(result.notIncluded).toEqual(['/home/me/spec.pdf']);
    expect(result.markdown).toContain('- /home/me/spec.pdf');
  });

  it('as Markdown: a file attached with @ is in the export after the typed text, as the model read it', async () => {
    const id = await threadWithMessages([['assistant', 'Hello']]);
    const attachment = contextBlock({ label: 'math.py', text: 'def add(a, b):\n    return a + b\n' });
    await runtime.conversational.appendMessage({
      id: 'MSG5',
      object: 'thread.message',
      thread_id: id,
      role: 'user',
      content: [
        ...textContent('Explain this file.'),
        {
          type: 'text',
          text: {
            value: attachment,
            annotations: [{ type: CONTEXT_ANNOTATION, kind: 'file', label: 'math.py', tokens: 14 }],
          },
        },
      ],
      status: 'ready',
      created: 2,
      updated: 2,
      metadata: {},
    });
    const { markdown } = await exportThread(
      { janFolder: path.join(root, '.jan'), conversational: runtime.conversational },
      id,
      'md',
    );
    expect(markdown).toContain(`## User\n\nExplain this file.\n\n_Attached:_\n\n${attachment}\n`);
    expect(markdown).toContain('math.py:\n```\ndef add(a, b):\n    return a + b\n```');
  });

  it('as Jan JSON: the thread folder byte for byte, unknown fields and bad lines kept; never over an existing folder', async () => {
    const id = await threadWithMessages([['user', 'Hello']]);
    const source = path.join(root, '.jan', 'threads', id);
    writeFileSync(
      path.join(source, 'messages.jsonl'),
      readFileSync(path.join(source, 'messages.jsonl'), 'utf8') + '{"torn": \n',
    );
    const out = path.join(root, 'out');
    const result = await exportThread(
      { janFolder: path.join(root, '.jan'), conversational: runtime.conversational },
      id,
      'json',
      out,
    );
    expect(result.folder).toBe(path.join(out, id));
    for (const file of ['thread.json', 'messages.jsonl'])
      expect(readFileSync(path.join(out, id, file), 'utf8')).toBe(readFileSync(path.join(source, file), 'utf8'));
    await expect(
      exportThread({ janFolder: path.join(root, '.jan'), conversational: runtime.conversational }, id, 'json', out),
    ).rejects.toThrow(/already exists/);
    await expect(
      exportThread({ janFolder: path.join(root, '.jan'), conversational: runtime.conversational }, 'nope', 'md'),
    ).rejects.toThrow(/not found/);
  });
});

describe('importing Jan data', () => {
  it('copies threads and assistants from a Jan desktop folder; clashing ids get new ones; unknown fields kept; the source untouched', async () => {
    const existing = await threadWithMessages([['user', 'mine']]);
    const desktop = path.join(root, 'jan-desktop');
    writeDesktopFolder(
      desktop,
      [
        {
          id: 'jan_100',
          title: 'From desktop',
          lines: [message('jan_100', 'A', 'hi', { desktop_field: 1 }), 'not json'],
        },
        { id: existing, title: 'Same id, other thread', lines: [message(existing, 'B', 'clash')] },
      ],
      [{ id: 'jan', name: 'Desktop Jan', instructions: 'Be brief.', unknown_setting: 'x' }],
    );
    const before = readdirSync(desktop, { recursive: true }).sort();
    const report = await importJanData(desktop, path.join(root, '.jan'));
    expect(readdirSync(desktop, { recursive: true }).sort()).toEqual(before);

    expect(report.threads.imported).toContainEqual({ from: 'jan_100', to: 'jan_100' });
    const renamed = report.threads.imported.find((item) => item.from === existing)!;
    expect(renamed.to).not.toBe(existing);
    const renamedThread = JSON.parse(
      readFileSync(path.join(root, '.jan', 'threads', renamed.to, 'thread.json'), 'utf8'),
    );
    expect(renamedThread).toMatchObject({
      id: renamed.to,
      title: 'Same id, other thread',
      desktop_only: { pinned: true },
    });
    expect((await runtime.conversational.listMessages(renamed.to)).messages[0]!.thread_id).toBe(renamed.to);
    // The original thread of that id is untouched.
    expect((await runtime.conversational.getThread(existing))!.title).toBe('Sorting in Rust');

    const lines = readFileSync(path.join(root, '.jan', 'threads', 'jan_100', 'messages.jsonl'), 'utf8');
    expect(lines).toContain('"desktop_field":1');
    expect(lines).toContain('not json');
    const { threads } = await runtime.conversational.listThreads();
    expect(threads.map((thread) => thread.id)).toEqual(expect.arrayContaining(['jan_100', renamed.to, existing]));

    const assistant = report.assistants.imported[0]!;
    expect(assistant).toEqual({ from: 'jan', to: 'jan-2' });
    expect(
      JSON.parse(readFileSync(path.join(root, '.jan', 'assistants', 'jan-2', 'assistant.json'), 'utf8')),
    ).toMatchObject({
      id: 'jan-2',
      unknown_setting: 'x',
    });

    // Importing again adds nothing: the renamed copy is recognised too.
    const again = await importJanData(desktop, path.join(root, '.jan'));
    expect(again.threads.imported).toEqual([]);
    expect(again.assistants.imported).toEqual([]);
    expect(again.threads.skipped).toContainEqual({ id: 'jan_100', reason: 'already here, unchanged' });
    expect(again.threads.skipped).toContainEqual({ id: existing, reason: 'already here, unchanged' });
  });

  it('refuses a folder that is not Jan data, and skips a thread whose thread.json is broken', async () => {
    mkdirSync(path.join(root, 'random'));
    await expect(importJanData(path.join(root, 'random'), path.join(root, '.jan'))).rejects.toThrow(
      /does not look like a Jan data folder/,
    );
    await expect(importJanData(path.join(root, 'missing'), path.join(root, '.jan'))).rejects.toThrow(/does not exist/);
    const desktop = path.join(root, 'broken');
    mkdirSync(path.join(desktop, 'threads', 'jan_1'), { recursive: true });
    writeFileSync(path.join(desktop, 'threads', 'jan_1', 'thread.json'), '{ nope');
    const report = await importJanData(desktop, path.join(root, '.jan'));
    expect(report.threads.imported).toEqual([]);
    expect(report.threads.skipped[0]!.reason).toMatch(/thread.json is missing or not valid/);
  });

  it('round-trips a whole .jan folder through one archive into another workspace', async () => {
    const id = await threadWithMessages([
      ['user', 'Question'],
      ['assistant', 'Answer'],
    ]);
    const archive = path.join(root, 'export.tar.gz');
    const written = await exportJanArchive(path.join(root, '.jan'), archive);
    expect(written.entries).toBeGreaterThan(2);

    const other = newRuntime(path.join(root, 'other', '.jan'));
    await other.start();
    try {
      const report = await importJanData(archive, path.join(root, 'other', '.jan'));
      expect(report.threads.imported).toEqual([{ from: id, to: id }]);
      const { messages } = await other.conversational.listMessages(id);
      expect(messages.map((item) => item.role)).toEqual(['user', 'assistant']);
    } finally {
      await other.stop();
    }
    writeFileSync(path.join(root, 'not-an-archive.tar.gz'), 'plain text');
    await expect(importJanData(path.join(root, 'not-an-archive.tar.gz'), path.join(root, '.jan'))).rejects.toThrow(
      /not a readable archive/,
    );
  });
});
