import { afterEach, beforeEach, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { ON_THIS_MACHINE, type JanEngine } from '@jan/core';
import { janExtensionApi } from '../../src/vscode/api/extension-api';
import { registerShowExtensions } from '../../src/vscode/api/show-extensions';
import { ThreadConsent } from '../../src/vscode/api/thread-consent';
import { commands, installedExtensions, resetStandIn, ui } from '../support/vscode-stand-in';
import { ScriptedEngine } from '../support/scripted-engine';
import { adapterRuntime } from './support/adapter-runtime';

let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let consent: ThreadConsent;
let stored: Map<string, unknown>;

/** The extension's global state, as VS Code keeps it between sessions. */
function memento(): vscode.Memento {
  return {
    keys: () => [...stored.keys()],
    get: <T>(key: string, fallback?: T) => (stored.has(key) ? (stored.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void stored.set(key, value),
  } as vscode.Memento;
}

beforeEach(async () => {
  resetStandIn();
  stored = new Map();
  consent = new ThreadConsent(memento());
  fixture = await adapterRuntime({ threadAccess: (caller) => consent.allowed(caller) });
  installedExtensions.set('acme.demo', { id: 'acme.demo', packageJSON: { displayName: 'Acme Demo', name: 'demo' } });
});

afterEach(async () => {
  await fixture.dispose();
});

function demoEngine(): JanEngine {
  const engine = new ScriptedEngine({ id: 'demo', models: ['demo-1'] });
  return Object.assign(Object.create(engine) as JanEngine, { displayName: 'Demo Engine', runsOn: ON_THIS_MACHINE });
}

it('connects an installed extension under its manifest name, once, and refuses an id nobody installed', async () => {
  const exported = janExtensionApi(fixture.runtime);
  expect(() => exported.connect('nobody.here')).toThrow(/no installed extension/);
  const api = exported.connect('ACME.demo');
  expect(exported.connect('acme.demo')).toBe(api);
  expect(api.caller).toEqual({ id: 'acme.demo', displayName: 'Acme Demo', kind: 'extension' });
  api.registerEngine(demoEngine());
  expect((await api.listModels()).find((model) => model.id === 'demo-1')).toMatchObject({
    engineName: 'Demo Engine (Acme Demo)',
    registeredBy: 'Acme Demo',
  });
});

it("asks once before an extension reads the user's threads, remembers the answer, and asks again after a dismissal", async () => {
  const api = janExtensionApi(fixture.runtime).connect('acme.demo');
  ui.answer(undefined);
  await expect(api.threads.list()).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  ui.answer('Allow');
  await api.threads.list();
  await api.threads.list();
  const asked = ui.messages.filter((message) => message.text.includes('wants to read and write your Jan chat threads'));
  expect(asked).toHaveLength(2);
  expect(asked[0]!.text).toContain('"Acme Demo" (acme.demo)');
  expect(consent.answer('acme.demo')).toBe(true);
  // The next session reads the remembered answer: no question.
  const nextSession = new ThreadConsent(memento());
  expect(await nextSession.allowed(api.caller)).toBe(true);
  expect(ui.messages.filter((message) => message.text.includes('wants to read'))).toHaveLength(2);
});

it('Show Extensions lists what an extension registered and used, and changes its access to threads', async () => {
  const subscription = registerShowExtensions(fixture.runtime.core.context.activity, consent);
  const api = janExtensionApi(fixture.runtime).connect('acme.demo');
  api.registerEngine(demoEngine());
  ui.answer('Allow');
  await api.threads.list();
  let listed: Array<{ label: string; description: string; detail: string }> = [];
  ui.answer((_title: string, items: unknown) => {
    listed = items as typeof listed;
    return listed[0];
  });
  ui.answer((_title: string, items: unknown) => (items as Array<{ value: boolean | undefined }>)[1]);
  await commands.executeCommand('jan.showExtensions');
  expect(listed).toEqual([
    expect.objectContaining({
      label: 'Acme Demo',
      description: 'acme.demo · threads: allowed',
      detail: 'Registered engine Demo Engine · used threads.read 1×',
    }),
  ]);
  expect(consent.answer('acme.demo')).toBe(false);
  await expect(api.threads.list()).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  subscription.dispose();
});
