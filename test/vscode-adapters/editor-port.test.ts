import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { toolEnvironment } from '../../extensions/workspace-tools';
import { VsCodeChatPort } from '../../src/vscode/chat/editor-port';
import { ModelStatusBar } from '../../src/vscode/models/status-bar';
import { ScriptedEngine } from '../support/scripted-engine';
import {
  openDocument,
  Position,
  registered,
  resetStandIn,
  Selection,
  setSetting,
  ui,
  window,
  type StandInDocument,
} from '../support/vscode-stand-in';
import { adapterRuntime } from './support/adapter-runtime';

function context(): vscode.ExtensionContext {
  const state = new Map<string, unknown>();
  return {
    workspaceState: {
      get: (key: string) => state.get(key),
      update: async (key: string, value: unknown) => void state.set(key, value),
    },
  } as unknown as vscode.ExtensionContext;
}

describe("the chat view's hands in the editor", () => {
  let proposed: Array<{ text: string; range: unknown; title: string }>;
  let port: VsCodeChatPort;
  let document: StandInDocument;

  beforeEach(() => {
    resetStandIn();
    proposed = [];
    document = openDocument('/w/a.ts', 'const a = 1;\nconst b = 2;\n');
    window.activeTextEditor = { document, selection: new Selection(new Position(1, 0), new Position(1, 12)) };
    port = new VsCodeChatPort(
      context(),
      async (_document, range, text, title) => void proposed.push({ text, range, title }),
      undefined,
      toolEnvironment(),
    );
  });
  afterEach(() => port.dispose());

  it('copies to the clipboard and says so', async () => {
    await port.copy('x');
    expect(ui.clipboard).toBe('x');
    expect(ui.messages).toEqual([{ level: 'status', text: 'Jan: copied to the clipboard' }]);
  });

  it('inserts code over the selection of the editor the user was in', async () => {
    await port.insertAtCursor('const c = 3;');
    expect(document.getText()).toBe('const a = 1;\nconst c = 3;\n');
  });

  it('proposes applying code to the selection, or to the whole file without one', async () => {
    await port.applyToEditor('const b = 20;');
    expect(proposed[0]).toMatchObject({
      text: 'const b = 20;',
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 12 } },
      title: 'Apply from chat',
    });
    window.activeTextEditor = { document, selection: new Selection(new Position(0, 3), new Position(0, 3)) };
    await port.applyToEditor('all new');
    expect(proposed[1]!.range).toMatchObject({ start: { line: 0, character: 0 }, end: { line: 2, character: 0 } });
  });

  it('says what to do when no file is open or the last one was closed', async () => {
    document.isClosed = true;
    await port.insertAtCursor('x');
    await port.applyToEditor('x');
    expect(ui.messages.map((message) => message.text)).toEqual([
      'Jan: open a file to insert the code into.',
      'Jan: open the file to apply the code to.',
    ]);
    expect(proposed).toEqual([]);
  });

  it('opens links through the editor, runs the actions of error messages, and remembers the open thread', async () => {
    await port.openExternal('https://example.com/docs');
    expect(ui.opened).toEqual(['https://example.com/docs']);
    await port.runAction('downloadModel');
    await port.runAction('showLog');
    expect(ui.executed.map((call) => call.command)).toEqual(['jan.downloadModel', 'jan.showLog']);
    expect(port.activeThread.load()).toBeUndefined();
    await port.activeThread.save('jan_1');
    expect(port.activeThread.load()).toBe('jan_1');
  });
});

describe('the status bar item', () => {
  it('names the chat model at rest, the loaded model with its state and speed, and the completion model and whether it is on', async () => {
    resetStandIn();
    const fixture = await adapterRuntime();
    try {
      setSetting('jan.chatModel', 'chat-1');
      setSetting('jan.completionModel', 'coder-1');
      fixture.engine.names = { 'chat-1': 'Chat One', 'coder-1': 'Coder One' };
      const bar = new ModelStatusBar(fixture.runtime.core, fixture.runtime.inference, Promise.resolve());
      const item = registered.statusItems[0]!;
      expect(item.command).toBe('jan.quickActions');
      await expect.poll(() => item.text).toBe('$(hubot) Chat One · local · $(sparkle) Coder One');
      setSetting('jan.inlineCompletion.enabled', false);
      await expect.poll(() => item.text).toBe('$(hubot) Chat One · local · $(sparkle) completion off');
      fixture.engine.status = () => ({ state: 'generating', modelId: 'chat-1', lastTokensPerSecond: 42.4 });
      bar.refresh();
      expect(item.text).toBe('$(sync~spin) Chat One · generating · 42 tok/s · local · $(sparkle) completion off');
      fixture.engine.status = () => ({ state: 'error', modelId: 'chat-1', error: 'The worker crashed' });
      bar.refresh();
      expect(item.backgroundColor).toMatchObject({ id: 'statusBarItem.errorBackground' });
      bar.dispose();
    } finally {
      await fixture.dispose();
    }
  });

  it('says where a model runs that its server listed only after the start, once the user picks it', async () => {
    resetStandIn();
    const fixture = await adapterRuntime();
    try {
      const server = new ScriptedEngine({ id: 'e2e-server', runsOn: { kind: 'remote', host: 'models.example' } });
      const { events, engines } = fixture.runtime.core;
      // The registry tells once per burst: the listing the bar starts with must already have the server.
      const told = new Promise<void>((resolve) => {
        const subscription = events.on('OnEnginesChanged', () => {
          subscription.dispose();
          resolve();
        });
      });
      engines.register(server);
      await told;
      const bar = new ModelStatusBar(fixture.runtime.core, fixture.runtime.inference, Promise.resolve());
      const item = registered.statusItems[0]!;
      await bar.loadNames();
      expect(item.text).toBe('$(hubot) Jan: no model');
      // The server starts serving a model; the picker reads the lists again and the user picks it.
      server.models.push('late-1');
      fixture.runtime.inference.refreshModels();
      expect((await fixture.runtime.inference.listModels()).map((model) => model.id)).toContain('late-1');
      setSetting('jan.chatModel', 'late-1');
      await expect.poll(() => item.text).toBe('$(hubot) late-1 · models.example');
      bar.dispose();
    } finally {
      await fixture.dispose();
    }
  });
});
