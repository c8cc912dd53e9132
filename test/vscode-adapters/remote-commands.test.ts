import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { MemoryLogger } from '@jan/core';
import { JanRuntime } from '../../src/node/runtime';
import type { JanHost } from '../../src/vscode/host';
import { prepareRemoteEngines } from '../../src/vscode/remote';
import { WorkspaceServerConsent } from '../../src/vscode/remote/workspace-consent';
import { registerSelectionCommands } from '../../src/vscode/selection/commands';
import { ProposalStore } from '../../src/vscode/selection/proposals';
import { editorSettings } from '../../src/vscode/settings';
import { OpenAITestServer } from '../support/openai-test-server';
import { ScriptedEngine } from '../support/scripted-engine';
import {
  commands,
  openDocument,
  Position,
  resetStandIn,
  Selection,
  setSetting,
  ui,
  window,
  workspace,
} from '../support/vscode-stand-in';

/**
 * The remote engine commands in the editor, against a real OpenAI-compatible server on
 * 127.0.0.1 (its answers come from a scripted engine: the engine under test is the remote one).
 */
const KEY = 'sk-adapter-test-key-4242';
let root: string;
let server: OpenAITestServer;
let backend: ScriptedEngine;
let runtime: JanRuntime;
let secrets: Map<string, string>;
let context: vscode.ExtensionContext;

/** VS Code's SecretStorage and Memento: plain in-memory maps here. */
function extensionContext(): vscode.ExtensionContext {
  secrets = new Map();
  const state = new Map<string, unknown>();
  return {
    subscriptions: [],
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
      delete: async (key: string) => void secrets.delete(key),
    },
    globalState: {
      get: (key: string, fallback?: unknown) => (state.has(key) ? state.get(key) : fallback),
      update: async (key: string, value: unknown) => void state.set(key, value),
    },
  } as unknown as vscode.ExtensionContext;
}

beforeEach(async () => {
  resetStandIn();
  root = mkdtempSync(path.join(tmpdir(), 'jan-remote-commands-'));
  backend = new ScriptedEngine({ id: 'backend' });
  server = await OpenAITestServer.start({ backend, modelId: 'coder-7b', apiKey: KEY });
  context = extensionContext();
  const log = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  } as unknown as vscode.LogOutputChannel;
  const remote = prepareRemoteEngines(context, log);
  runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger: new MemoryLogger(),
    workerPath: path.join(root, 'no-worker.mjs'),
    downloadWorkerPath: path.join(root, 'no-downloads.mjs'),
    settings: editorSettings(),
    ...remote.runtimeOptions,
  });
  await runtime.start();
  remote.register({ runtime, context, log } as JanHost);
});

afterEach(async () => {
  for (const subscription of context.subscriptions) subscription.dispose();
  await runtime.stop();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const savedEngines = () =>
  workspace.getConfiguration('jan.remote').get<Array<Record<string, unknown>>>('engines') ?? [];
const pick = (label: string) => (_title: string, items: unknown) =>
  (items as Array<{ label: string }>).find((item) => item.label === label);

async function addEngine(key: string, afterTest?: string, preset = 'llama.cpp server'): Promise<void> {
  ui.answer(pick(preset));
  ui.answer(server.baseUrl);
  ui.answer('GPU box');
  ui.answer(key);
  if (afterTest) ui.answer(afterTest);
  ui.answer(undefined);
  await commands.executeCommand('jan.addRemoteEngine');
}

describe('Jan: Add Remote Engine', () => {
  it("tests the connection, saves the engine in the user's settings and the key only in SecretStorage; its models appear", async () => {
    await addEngine(KEY);
    expect(ui.messages.map((message) => message.text)).toEqual([
      'Jan: connected to GPU box; 1 model: coder-7b.',
      'Jan: GPU box was added. Its models are in the model pickers.',
    ]);
    expect(savedEngines()).toEqual([
      {
        id: 'gpu-box',
        name: 'GPU box',
        preset: 'llamacpp-server',
        baseUrl: server.baseUrl,
        fim: 'infill',
        timeoutSeconds: 60,
        maxRetries: 2,
      },
    ]);
    expect(JSON.stringify(savedEngines())).not.toContain(KEY);
    expect([...secrets.values()]).toEqual([KEY]);
    expect((await runtime.inference.listModels()).map((model) => model.id)).toEqual(['gpu-box/coder-7b']);
  });

  it('says exactly what failed with a wrong key, and saves nothing unless asked to', async () => {
    await addEngine('sk-wrong', undefined);
    const warning = ui.messages.find((message) => message.level === 'warning')!;
    expect(warning.text).toMatch(/^Jan: GPU box \(local\) refused the API key \(HTTP 401\)\. Set a valid key/);
    expect(warning.text).not.toContain('sk-wrong');
    expect(savedEngines()).toEqual([]);
    expect(secrets.size).toBe(0);
  });

  it('Test Connection lists the models; Remove deletes the entry and its key', async () => {
    await addEngine(KEY);
    ui.messages.length = 0;
    ui.answer(pick('GPU box'));
    await commands.executeCommand('jan.testRemoteEngine');
    expect(ui.messages.at(-1)).toMatchObject({ level: 'info', text: 'Jan: GPU box answers; 1 model: coder-7b.' });

    server.play('forbidden');
    ui.answer(pick('GPU box'));
    await commands.executeCommand('jan.testRemoteEngine');
    expect(ui.messages.at(-1)).toMatchObject({
      level: 'error',
      text: expect.stringMatching(/^Jan: GPU box \(local\) refused the API key \(HTTP 403\)/),
    });

    ui.answer(pick('GPU box'));
    ui.answer('Remove');
    await commands.executeCommand('jan.removeRemoteEngine');
    expect(savedEngines()).toEqual([]);
    expect(secrets.size).toBe(0);
    expect(runtime.core.engines.get('gpu-box')).toBeUndefined();
  });

  it('an engine left out of the model lists says so once, with the reason and Test Connection', async () => {
    await addEngine(KEY);
    ui.messages.length = 0;
    server.play('forbidden');
    ui.answer('Test Connection');
    ui.answer(pick('GPU box'));
    runtime.inference.refreshModels();
    expect(await runtime.inference.listModels()).toEqual([]);
    await expect.poll(() => ui.messages.length).toBe(2);
    expect(ui.messages[0]).toMatchObject({
      level: 'warning',
      text: expect.stringMatching(/^Jan: the models of GPU box \(local\) are not in the model lists: .*HTTP 403/),
    });
    expect(ui.messages[1]).toMatchObject({
      level: 'error',
      text: expect.stringMatching(/^Jan: GPU box \(local\) refused/),
    });
    runtime.inference.refreshModels();
    await runtime.inference.listModels();
    expect(ui.messages).toHaveLength(2);
  });

  it('Test Connection offers the fill-in-the-middle mode the server shows, and saves it when taken', async () => {
    await addEngine(KEY, undefined, 'vLLM');
    expect(savedEngines()[0]).toMatchObject({ preset: 'vllm', fim: 'completions-prefix' });
    ui.answer(pick('GPU box'));
    ui.answer('Use infill');
    await commands.executeCommand('jan.testRemoteEngine');
    expect(ui.messages.at(-1)!.text).toBe(
      "Jan: GPU box answers; 1 model: coder-7b. Its endpoints say inline completion works best with llama.cpp server's /infill.",
    );
    expect(savedEngines()[0]).toMatchObject({ fim: 'infill' });
  });

  it('Edit changes the fill-in-the-middle mode, and the engine follows', async () => {
    await addEngine(KEY);
    ui.answer(pick('GPU box'));
    ui.answer(pick('Fill-in-the-middle'));
    ui.answer((_title: string, items: unknown) =>
      (items as Array<{ fim: string }>).find((item) => item.fim === 'completions-suffix'),
    );
    await commands.executeCommand('jan.editRemoteEngine');
    expect(savedEngines()[0]).toMatchObject({ fim: 'completions-suffix' });
    setSetting('jan.completionModel', 'gpu-box/coder-7b');
    backend.completion = 'return a + b;';
    const request = (await runtime.inlineCompletion.request(
      { lineCount: 1, languageId: 'ts', lineText: () => 'function add(a, b) { ' },
      0,
      21,
    ))!;
    expect(await runtime.inlineCompletion.complete(request, 16, new AbortController().signal)).toBe('return a + b;');
    expect(server.generationRequests.at(-1)).toMatchObject({
      path: '/v1/completions',
      body: { model: 'coder-7b', suffix: expect.any(String) },
    });
  });
});

describe('a selection command through a remote engine', () => {
  it('Fix sends the selected code to the remote model and proposes its answer', async () => {
    await addEngine(KEY);
    setSetting('jan.chatModel', 'gpu-box/coder-7b');
    backend.reply = 'Fixed:\n\n```ts\nreturn values.length;\n```\n';
    const registration = registerSelectionCommands({
      inference: runtime.inference,
      proposals: new ProposalStore(),
      logger: runtime.core.context.logger,
      askInChat: async () => undefined,
    });
    try {
      const document = openDocument('/w/count.ts', 'function count(values) {\n  return values.lenght;\n}\n');
      window.activeTextEditor = { document, selection: new Selection(new Position(1, 0), new Position(1, 23)) };
      ui.answer('Accept');
      await commands.executeCommand('jan.fixSelection');
      const sent = server.generationRequests.at(-1)!;
      expect(sent.path).toBe('/v1/chat/completions');
      expect(JSON.stringify(sent.body!.messages)).toContain('values.lenght');
      expect(document.getText()).toBe('function count(values) {\n  return values.length;\n}\n');
    } finally {
      registration.dispose();
    }
  });
});

describe("a workspace's server off this machine", () => {
  it('is asked about once per workspace and server; the answer is remembered, a dismissal is not', async () => {
    const consent = new WorkspaceServerConsent(context.globalState, 'file:///w');
    const definition = {
      id: 'team',
      name: 'Team GPU',
      preset: 'vllm',
      baseUrl: 'http://team-gpu:8000/v1',
      fim: 'completions-prefix',
      timeoutSeconds: 60,
      maxRetries: 2,
    } as const;
    ui.answer(undefined);
    expect(await consent.allow(definition)).toBe(false);
    ui.answer('Allow');
    expect(await Promise.all([consent.allow(definition), consent.allow(definition)])).toEqual([true, true]);
    expect(await consent.allow(definition)).toBe(true);
    expect(ui.messages.map((message) => message.text)).toEqual([
      `This workspace's settings define the remote engine "Team GPU" at team-gpu:8000. Send your prompts and code to team-gpu:8000?`,
      `This workspace's settings define the remote engine "Team GPU" at team-gpu:8000. Send your prompts and code to team-gpu:8000?`,
    ]);
    expect(await new WorkspaceServerConsent(context.globalState, 'file:///other').allow(definition)).toBe(false);
    await consent.forget();
    ui.answer("Don't Allow");
    expect(await consent.allow(definition)).toBe(false);
    expect(await consent.allow(definition)).toBe(false);
    expect(ui.messages).toHaveLength(4);
  });
});
