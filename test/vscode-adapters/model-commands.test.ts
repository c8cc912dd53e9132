import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { downloadModelCommand } from '../../src/vscode/models/download-command';
import { importModelCommand } from '../../src/vscode/models/import-command';
import { deleteModelCommand, selectModelCommand } from '../../src/vscode/models/manage-commands';
import type { ModelFeatures } from '../../src/vscode/models/model-actions';
import { bundleEntry } from '../support/bundle-entry';
import { ScriptedEngine } from '../support/scripted-engine';
import { STORIES } from '../support/test-models';
import { RangeServer } from '../integration/models/support/range-server';
import { commands, resetStandIn, ui, Uri, workspace } from '../support/vscode-stand-in';
import { adapterRuntime } from './support/adapter-runtime';

let downloadWorkerPath: string;
let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let features: ModelFeatures;
let local: ScriptedEngine;
let server: RangeServer | undefined;

beforeAll(async () => {
  downloadWorkerPath = await bundleEntry('extensions/models/downloader/main.ts', 'model-download');
});

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime({ downloadWorkerPath });
  // Loading a model goes to its engine: a scripted one stands in for llama.cpp here.
  local = new ScriptedEngine({ id: 'llamacpp' });
  fixture.runtime.core.engines.register(local);
  const log = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  } as unknown as vscode.LogOutputChannel;
  features = {
    engines: fixture.runtime.core.engines,
    inference: fixture.runtime.inference,
    models: fixture.runtime.models,
    log,
  };
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await fixture.dispose();
});

const chatModelSetting = () => workspace.getConfiguration('jan').get<string>('chatModel');
const errors = () => ui.messages.filter((message) => message.level === 'error').map((message) => message.text);

describe('Import Model File', () => {
  it('imports a GGUF where it is, offers it for chat, and loads it', async () => {
    ui.answer([Uri.file(STORIES)]);
    ui.answer((_title: string, items: unknown) =>
      (items as Array<{ mode: string }>).find((item) => item.mode === 'reference'),
    );
    ui.answer('Use for Chat');
    // The notice comes back with the other use, and says what was done.
    ui.answer((text: string, items: unknown) => {
      expect(text).toBe('stories260K is now the chat model.');
      expect(items).toEqual(['Use for Completion']);
      return 'Use for Completion';
    });
    await importModelCommand(features);
    const [model] = (await fixture.runtime.models.listModels()).models;
    expect(model?.id).toBe('stories260k');
    expect(chatModelSetting()).toBe('stories260k');
    expect(workspace.getConfiguration('jan').get<string>('completionModel')).toBe('stories260k');
    expect(ui.messages.at(-1)).toEqual({ level: 'info', text: 'stories260K is now the chat and completion model.' });
    // Each use makes sure the model is loaded (the second time a real engine finds it loaded).
    expect(local.loads).toBe(2);
    expect(errors()).toEqual([]);
  });

  it('refuses a file that is not a GGUF model, saying why, and installs nothing', async () => {
    const notAModel = path.join(mkdtempSync(path.join(tmpdir(), 'jan-import-')), 'notes.gguf');
    writeFileSync(notAModel, 'these are my notes');
    ui.answer([Uri.file(notAModel)]);
    await importModelCommand(features);
    expect(errors()).toEqual([expect.stringMatching(/^Cannot import this file: /)]);
    expect((await fixture.runtime.models.listModels()).models).toEqual([]);
  });

  it('does nothing when the file dialog is dismissed', async () => {
    ui.answer(undefined);
    await importModelCommand(features);
    expect(ui.messages).toEqual([]);
  });
});

describe('Select / Delete Model', () => {
  it('with no model installed and no engine listing any, offers to download or import one', async () => {
    fixture.runtime.core.engines.unregister('scripted');
    ui.answer('Import Model File…');
    ui.answer(undefined);
    await commands.registerCommand('jan.importModel', () => importModelCommand(features));
    await selectModelCommand(features, 'chat');
    expect(ui.messages[0]).toMatchObject({ level: 'info', text: 'No models are installed yet.' });
    expect(ui.executed.map((call) => call.command)).toEqual(['jan.importModel']);
  });

  it("lists every engine's models, one group per engine with where its code goes", async () => {
    const model = await fixture.runtime.models.importModel(STORIES, { mode: 'reference' });
    let shown: Array<{ label: string; kind?: number; model?: { id: string } }> = [];
    ui.answer((_title: string, items: unknown) => {
      shown = items as typeof shown;
      return shown.find((item) => item.model?.id === 'coder-1');
    });
    await selectModelCommand(features, 'completion');
    expect(shown.map((item) => (item.kind === -1 ? `-- ${item.label}` : item.model?.id))).toEqual([
      '-- Scripted test engine · local',
      model.id,
      '-- Scripted test engine · local',
      'chat-1',
      'coder-1',
    ]);
    expect(workspace.getConfiguration('jan').get<string>('completionModel')).toBe('coder-1');
  });

  it('deletes a model after confirmation and clears the setting that named it', async () => {
    const model = await fixture.runtime.models.importModel(STORIES, { mode: 'reference' });
    await workspace.getConfiguration('jan').update('chatModel', model.id);
    ui.answer((_title: string, items: unknown) => (items as Array<{ model: { id: string } }>)[0]);
    ui.answer('Delete');
    await deleteModelCommand(features);
    expect((await fixture.runtime.models.listModels()).models).toEqual([]);
    expect(chatModelSetting()).toBeUndefined();
    expect(existsSync(STORIES)).toBe(true);
  });
});

describe('Download Model', () => {
  async function serve(): Promise<string> {
    server = await RangeServer.start(await readFile(STORIES));
    return server.url('/models/stories260K.gguf');
  }

  it('downloads a custom URL with progress and installs the model', async () => {
    const url = await serve();
    ui.answer((_title: string, items: unknown) => (items as Array<{ custom?: boolean }>).find((item) => item.custom));
    ui.answer(url);
    ui.answer(undefined);
    await downloadModelCommand(features);
    expect(errors()).toEqual([]);
    expect((await fixture.runtime.models.listModels()).models.map((model) => model.id)).toEqual(['stories260k']);
    const reports = ui.progress[0]!.reports;
    const percent = reports.reduce((sum, report) => sum + (report.increment ?? 0), 0);
    expect(Math.round(percent)).toBe(100);
  });

  it.each([
    ['keeps the partial file for a resume', undefined, ['.downloads']],
    ['discards the partial file when asked', 'Discard Partial Download', []],
  ])('a cancelled download says what was kept and %s', async (_what, answer, left) => {
    const url = await serve();
    server!.behaviour = { stallAfter: 4096 };
    ui.answer((_title: string, items: unknown) => (items as Array<{ custom?: boolean }>).find((item) => item.custom));
    ui.answer(url);
    ui.answer(answer);
    const running = downloadModelCommand(features);
    await expect
      .poll(() => ui.progress[0]?.reports.some((report) => (report.increment ?? 0) > 0) ?? false, { timeout: 30_000 })
      .toBe(true);
    ui.progress[0]!.source.cancel();
    await running;
    expect(ui.messages.at(-1)).toMatchObject({ level: 'info', text: expect.stringContaining('cancelled') });
    expect((await fixture.runtime.models.listModels()).models).toEqual([]);
    expect(readdirSync(fixture.runtime.core.context.modelsFolder)).toEqual(left);
  });

  const customUrl = (url: string) => {
    ui.answer((_title: string, items: unknown) => (items as Array<{ custom?: boolean }>).find((item) => item.custom));
    ui.answer(url);
  };

  it('a cancel before anything arrived says nothing was kept and offers nothing to discard', async () => {
    const url = await serve();
    server!.behaviour = { holdRangesFrom: 0, stallAfter: 0 };
    customUrl(url);
    const running = downloadModelCommand(features);
    await expect
      .poll(() => (server!.requests.length > 0 && ui.progress.length > 0) || false, { timeout: 30_000 })
      .toBe(true);
    ui.progress[0]!.source.cancel();
    await running;
    const last = ui.messages.at(-1)!;
    expect(last).toMatchObject({ level: 'info', text: expect.stringContaining('cancelled') });
    expect(last.text).not.toMatch(/kept|resume/);
    expect(readdirSync(fixture.runtime.core.context.modelsFolder)).toEqual([]);
  });

  it('shows a retry and its countdown in the progress when the connection drops mid-transfer', async () => {
    const url = await serve();
    server!.behaviour = { dropOnceAfter: 300_000 };
    customUrl(url);
    ui.answer(undefined);
    await downloadModelCommand(features);
    expect(errors()).toEqual([]);
    const messages = ui.progress[0]!.reports.map((report) => report.message ?? '');
    expect(messages.some((message) => /Retry 1 of \d+ in \d+ s/.test(message))).toBe(true);
    expect((await fixture.runtime.models.listModels()).models).toHaveLength(1);
  });

  it('never shows the query string of a URL: not in the progress title, not in an error', async () => {
    const url = await serve();
    server!.behaviour = { status: 403 };
    customUrl(`${url}?token=SECRET-1`);
    await downloadModelCommand(features);
    expect(ui.progress[0]!.title).not.toContain('SECRET');
    expect(errors()).toEqual([expect.stringMatching(/403/)]);
    expect(errors().join(' ')).not.toContain('SECRET');
  });
});
