import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { textContent } from '@jan/core';
import type { JanHost } from '../../src/vscode/host';
import {
  exportJanDataCommand,
  exportThreadCommand,
  fileNameOf,
  importJanDataCommand,
} from '../../src/vscode/portability/commands';
import { ApiServerController } from '../../src/vscode/server/api-server-controller';
import { registered, resetStandIn, setSetting, ui, Uri } from '../support/vscode-stand-in';
import { adapterRuntime } from './support/adapter-runtime';

let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let host: JanHost;
let secrets: Map<string, string>;
let controller: ApiServerController;
let scratch: string;

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime();
  scratch = mkdtempSync(path.join(tmpdir(), 'jan-adapter-data-'));
  secrets = new Map();
  const context = {
    subscriptions: [],
    // VS Code's SecretStorage: the key lives here and nowhere else.
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
    },
  } as unknown as vscode.ExtensionContext;
  const log = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  } as unknown as vscode.LogOutputChannel;
  host = { runtime: fixture.runtime, context, log };
  setSetting('jan.apiServer.port', 0);
  controller = new ApiServerController(host);
});

afterEach(async () => {
  await controller.stop();
  await fixture.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

describe('Jan: Start API Server / Copy API Key / Stop API Server', () => {
  it('serves the editor runtime with a key kept in SecretStorage, shows it in the status bar, and stops', async () => {
    const server = (await controller.start())!;
    expect(server.host).toBe('127.0.0.1');
    await controller.copyKey();
    expect(ui.clipboard).toMatch(/^jan-/);
    expect([...secrets.values()]).toEqual([ui.clipboard]);
    const client = new OpenAI({ baseURL: server.baseUrl, apiKey: ui.clipboard, maxRetries: 0 });
    expect((await client.models.list()).data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['chat-1', 'coder-1']),
    );
    const reply = await client.chat.completions.create({
      model: 'chat-1',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(reply.choices[0]!.message.content).toBe('ok');
    const item = registered.statusItems.find((status) => status.text.includes('Jan API'))!;
    expect(item.text).toContain(`:${server.port}`);
    expect(item.tooltip).toContain(server.baseUrl);

    // A restart uses the same key.
    await controller.stop();
    await expect(client.models.list()).rejects.toThrow();
    await controller.start();
    await expect(
      new OpenAI({ baseURL: controller.running!.baseUrl, apiKey: ui.clipboard, maxRetries: 0 }).models.list(),
    ).resolves.toBeDefined();
  });

  it('offers the next free port when the configured one is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    setSetting('jan.apiServer.port', taken);
    ui.answer((_message: string, items: unknown) => (items as string[])[0]);
    try {
      const server = await controller.start();
      expect(ui.messages.find((message) => message.level === 'warning')!.text).toContain(`Port ${taken}`);
      expect(server!.port).toBeGreaterThan(taken);
    } finally {
      blocker.close();
    }
  });
});

describe('a thread title as a file name', () => {
  it('keeps what every platform allows, and nothing that would leave the folder', () => {
    expect(fileNameOf('Fix the bug: src/a.ts?')).toBe('Fix the bug src a.ts');
    expect(fileNameOf('../../etc/passwd')).toBe('.. .. etc passwd');
    expect(fileNameOf('Ends with dots...')).toBe('Ends with dots');
    expect(fileNameOf('\u0000\u0007')).toBe('');
    expect(fileNameOf('x'.repeat(200))).toHaveLength(80);
  });
});

describe('Jan: Export Thread… / Export All… / Import…', () => {
  async function thread(): Promise<string> {
    const { assistants } = await fixture.runtime.assistants.listAssistants();
    const created = await fixture.runtime.conversational.createThread({
      title: 'Exported',
      assistants: [
        {
          assistant_id: assistants[0]!.id,
          assistant_name: assistants[0]!.name,
          model: { id: 'chat-1', engine: 'scripted', settings: {}, parameters: {} },
        },
      ],
    });
    await fixture.runtime.conversational.appendMessage({
      id: 'M1',
      object: 'thread.message',
      thread_id: created.id,
      role: 'user',
      content: textContent('Show me `code`'),
      status: 'ready',
      created: 1,
      updated: 1,
    });
    return created.id;
  }

  it('exports a thread as Markdown to the file the user picks', async () => {
    const id = await thread();
    const target = path.join(scratch, 'thread.md');
    ui.answer((_title: string, items: unknown) =>
      (items as Array<{ format: string }>).find((item) => item.format === 'md'),
    );
    let offered: Uri | undefined;
    ui.answer((_title: string, options: unknown) => {
      offered = (options as { defaultUri?: Uri }).defaultUri;
      return Uri.file(target);
    });
    await exportThreadCommand(fixture.runtime, id);
    // The dialog opens on a file name made from the thread's title.
    expect(path.basename(offered!.fsPath)).toBe('Exported.md');
    expect(readFileSync(target, 'utf8')).toContain('# Exported');
    expect(ui.messages.at(-1)!.text).toContain(target);
  });

  it('exports everything as an archive and imports it back: clashing ids get new ones and the chat hears of them', async () => {
    const id = await thread();
    const archive = path.join(scratch, 'all.tar.gz');
    let offered: Uri | undefined;
    ui.answer((_title: string, options: unknown) => {
      offered = (options as { defaultUri?: Uri }).defaultUri;
      return Uri.file(archive);
    });
    await exportJanDataCommand(fixture.runtime);
    expect(path.basename(offered!.fsPath)).toMatch(/^jan-threads-\d{4}-\d{2}-\d{2}\.tar\.gz$/);
    // Same ids, different content: the import must not overwrite the thread here.
    const threadFile = path.join(fixture.runtime.core.context.janFolder, 'threads', id, 'thread.json');
    writeFileSync(
      threadFile,
      JSON.stringify({ ...JSON.parse(readFileSync(threadFile, 'utf8')), title: 'Changed here' }, null, 2),
    );
    const announced: string[] = [];
    fixture.runtime.core.events.on('OnThreadUpdated', (updated) => void announced.push(updated.id));
    ui.answer((_title: string, items: unknown) => (items as Array<{ folder: boolean }>).find((item) => !item.folder));
    ui.answer([Uri.file(archive)]);
    await importJanDataCommand(fixture.runtime);
    const { threads } = await fixture.runtime.conversational.listThreads();
    expect(threads.map((item) => item.title).sort()).toEqual(['Changed here', 'Exported']);
    expect(announced).toHaveLength(1);
    expect(announced[0]).not.toBe(id);
    expect(ui.messages.at(-1)!.text).toMatch(/Imported 1 threads .*new ids/);
  });

  it("imports a Jan data folder's assistants, and the assistant pickers hear of them", async () => {
    const folder = path.join(scratch, 'desktop');
    mkdirSync(path.join(folder, 'assistants', 'reviewer'), { recursive: true });
    const reviewer = {
      id: 'reviewer',
      object: 'assistant',
      name: 'Reviewer',
      avatar: '',
      description: '',
      instructions: 'Review.',
      model: '*',
      created_at: 1,
    };
    writeFileSync(path.join(folder, 'assistants', 'reviewer', 'assistant.json'), JSON.stringify(reviewer));
    const announced: string[][] = [];
    fixture.runtime.core.events.on(
      'OnAssistantsChanged',
      (assistants) => void announced.push(assistants.map((assistant) => assistant.id)),
    );
    ui.answer((_title: string, items: unknown) => (items as Array<{ folder: boolean }>).find((item) => item.folder));
    ui.answer([Uri.file(folder)]);
    await importJanDataCommand(fixture.runtime);
    expect(ui.messages.at(-1)!.text).toMatch(/1 assistants/);
    expect(announced.at(-1)).toContain('reviewer');
  });

  it('says clearly when a folder is not Jan data, and imports nothing', async () => {
    const folder = path.join(scratch, 'not-jan');
    mkdirSync(folder);
    ui.answer((_title: string, items: unknown) => (items as Array<{ folder: boolean }>).find((item) => item.folder));
    ui.answer([Uri.file(folder)]);
    await importJanDataCommand(fixture.runtime);
    expect(ui.messages.at(-1)).toMatchObject({
      level: 'error',
      text: expect.stringContaining('does not look like a Jan data folder'),
    });
  });
});
