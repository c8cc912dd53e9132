import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { openWalkthroughOnFirstRun, WALKTHROUGH_ID } from '../../src/vscode/walkthrough';
import { resetStandIn, setSetting, ui } from '../support/vscode-stand-in';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  contributes: {
    commands: Array<{ command: string }>;
    views: Record<string, Array<{ id: string }>>;
    configuration: { properties: Record<string, unknown> };
    walkthroughs: Array<{
      id: string;
      steps: Array<{
        id: string;
        title: string;
        description: string;
        media: { markdown: string };
        completionEvents: string[];
      }>;
    }>;
  };
};

function globalState(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    get: (key: string) => values.get(key),
    update: async (key: string, value: unknown) => void values.set(key, value),
    keys: () => [...values.keys()],
  } as vscode.Memento;
}

describe('Getting Started walkthrough', () => {
  beforeEach(() => resetStandIn());

  it('opens on the first activation after install, and not again', async () => {
    const context = {
      globalState: globalState(),
      extension: { id: `${manifest.publisher}.${manifest.name}` },
    } as unknown as vscode.ExtensionContext;
    expect(await openWalkthroughOnFirstRun(context)).toBe(true);
    expect(await openWalkthroughOnFirstRun(context)).toBe(false);
    expect(ui.executed).toEqual([
      { command: 'workbench.action.openWalkthrough', args: [`jan-vscode.jan-vscode#${WALKTHROUGH_ID}`, false] },
    ]);
  });

  it('stays closed when the user turned off walkthroughs on install', async () => {
    setSetting('workbench.welcomePage.walkthroughs.openOnInstall', false);
    const context = {
      globalState: globalState(),
      extension: { id: 'jan-vscode.jan-vscode' },
    } as unknown as vscode.ExtensionContext;
    expect(await openWalkthroughOnFirstRun(context)).toBe(false);
    expect(ui.executed).toEqual([]);
  });

  it('covers a model, chat, completion, commands on selection, assistants and a model server, with working links', () => {
    const walkthrough = manifest.contributes.walkthroughs.find((candidate) => candidate.id === WALKTHROUGH_ID);
    expect(walkthrough).toBeDefined();
    expect(walkthrough!.steps.map((step) => step.id)).toEqual([
      'getModel',
      'chat',
      'completion',
      'selection',
      'assistants',
      'remote',
    ]);
    const commands = new Set(manifest.contributes.commands.map((command) => command.command));
    const views = new Set(Object.values(manifest.contributes.views).flatMap((list) => list.map((view) => view.id)));
    for (const step of walkthrough!.steps) {
      expect(existsSync(path.join(root, step.media.markdown)), step.media.markdown).toBe(true);
      const links = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1]!);
      expect(links.length, `${step.id} has a button`).toBeGreaterThan(0);
      for (const link of links)
        expect(commands.has(link) || link.startsWith('workbench.'), `${step.id}: ${link}`).toBe(true);
      for (const event of step.completionEvents) {
        const [kind, target] = event.split(':') as [string, string];
        if (kind === 'onCommand') expect(commands.has(target), `${step.id}: ${event}`).toBe(true);
        else if (kind === 'onView') expect(views.has(target), `${step.id}: ${event}`).toBe(true);
        else expect(kind).toBe('onSettingChanged');
      }
    }
  });
});
