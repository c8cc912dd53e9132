import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import type { JanHost } from '../../src/vscode/host';
import { quickActionsCommand } from '../../src/vscode/models/quick-actions';
import { registerApiServer, runningApiServer } from '../../src/vscode/server';
import { commands, resetStandIn, setSetting, ui } from '../support/vscode-stand-in';
import { adapterRuntime } from './support/adapter-runtime';

/** Jan: Quick Actions, the menu of the status bar item and of the chat view's title bar. */
let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let context: vscode.ExtensionContext;

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime();
  const secrets = new Map<string, string>();
  context = {
    subscriptions: [],
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
  const host: JanHost = { runtime: fixture.runtime, context, log };
  setSetting('jan.apiServer.port', 0);
  registerApiServer(host, Promise.resolve());
  // The real toggle is registered with inline completion (src/vscode/completion/inline-provider.ts).
  commands.registerCommand('jan.toggleInlineCompletion', () => undefined);
});

afterEach(async () => {
  for (const subscription of context.subscriptions) subscription.dispose();
  await fixture.dispose();
});

/** Opens Quick Actions and picks the item whose label contains `text`; returns the labels shown. */
async function pick(text: string): Promise<string[]> {
  let labels: string[] = [];
  ui.answer((_title: string, items: unknown) => {
    const shown = items as Array<{ label: string }>;
    labels = shown.map((item) => item.label);
    return shown.find((item) => item.label.includes(text));
  });
  await quickActionsCommand();
  return labels;
}

describe('Jan: Quick Actions', () => {
  it('starts and stops the API server, and names each switch for what it will do now', async () => {
    const before = await pick('Start API Server');
    expect(before).toEqual(expect.arrayContaining(['$(radio-tower) Start API Server']));
    expect(before).not.toContain('$(key) Copy API Key');
    expect(runningApiServer()?.host).toBe('127.0.0.1');
    const running = await pick('Stop API Server');
    expect(running).toEqual(expect.arrayContaining(['$(radio-tower) Stop API Server', '$(key) Copy API Key']));
    expect(runningApiServer()).toBeUndefined();
  });

  it('offers to turn inline completion off while it is on, and on while it is off', async () => {
    setSetting('jan.inlineCompletion.enabled', true);
    expect(await pick('Inline Completion')).toContain('$(circle-slash) Turn Off Inline Completion');
    expect(ui.executed.map((call) => call.command)).toContain('jan.toggleInlineCompletion');
    setSetting('jan.inlineCompletion.enabled', false);
    expect(await pick('nothing')).toContain('$(lightbulb) Turn On Inline Completion');
  });
});
