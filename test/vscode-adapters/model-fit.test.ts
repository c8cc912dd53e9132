import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import type { JanRuntime } from '../../src/node/runtime';
import { downloadModelCommand } from '../../src/vscode/models/download-command';
import { importModelCommand } from '../../src/vscode/models/import-command';
import { selectModelCommand } from '../../src/vscode/models/manage-commands';
import type { ModelFeatures } from '../../src/vscode/models/model-actions';
import { configuredModel } from '../../src/vscode/settings';
import { bundleEntry } from '../support/bundle-entry';
import { STORIES } from '../support/test-models';
import { openTestRuntime, type TestRuntime } from '../support/test-runtime';
import { SMALL_ENGINE } from '../support/test-settings';
import { writeHugeGguf } from '../integration/llamacpp/support/huge-gguf';
import { resetStandIn, ui, Uri, workspace } from '../support/vscode-stand-in';

/**
 * Fits / May be slow / Won't fit in the pickers and on import, from the real worker's plans
 * (node-llama-cpp's estimates for this machine), and the question before a model that won't fit loads.
 */
let fixture: TestRuntime;
let root: string;
let runtime: JanRuntime;
let features: ModelFeatures;
let huge: string;
const warnings: string[] = [];

interface Pick {
  label: string;
  description?: string;
  detail?: string;
  model?: { id: string };
}

beforeAll(async () => {
  fixture = await openTestRuntime({
    prefix: 'jan-model-fit-',
    workerPath: await bundleEntry('extensions/llamacpp/worker/main.ts', 'llamacpp-worker'),
    settings: {
      ...SMALL_ENGINE,
      'jan.engine.contextSize': 1024,
      'jan.chatModel': () => configuredModel('chat') ?? '',
      'jan.completionModel': () => configuredModel('completion') ?? '',
    },
  });
  ({ root, runtime } = fixture);
  features = {
    engines: runtime.core.engines,
    inference: runtime.inference,
    models: runtime.models,
    log: {
      info: () => undefined,
      warn: (text: string) => void warnings.push(text),
      error: () => undefined,
    } as unknown as vscode.LogOutputChannel,
    llama: runtime.llamacpp.engine,
  };
  huge = path.join(root, 'huge-80-layers.gguf');
  writeHugeGguf(huge, 80);
}, 180_000);

afterAll(() => fixture?.dispose());

beforeEach(() => resetStandIn());

const chatSetting = () => workspace.getConfiguration('jan').get<string>('chatModel');
const messages = (level: string) =>
  ui.messages.filter((message) => message.level === level).map((message) => message.text);

describe('model fit in the pickers', () => {
  it('says on import whether the model fits', async () => {
    ui.answer([Uri.file(STORIES)]);
    ui.answer((_title: string, items: unknown) =>
      (items as Array<{ mode: string }>).find((item) => item.mode === 'reference'),
    );
    ui.answer(undefined);
    await importModelCommand(features);
    expect(messages('info')).toContainEqual(
      expect.stringMatching(/^stories260K is ready\. Fits: needs about [\d.]+ MiB of [\d.]+ GiB RAM\.$/),
    );
  });

  it("labels each installed model and its context, and asks before loading one that won't fit", async () => {
    ui.answer([Uri.file(huge)]);
    ui.answer((_title: string, items: unknown) =>
      (items as Array<{ mode: string }>).find((item) => item.mode === 'reference'),
    );
    ui.answer(undefined);
    await importModelCommand(features);
    expect(messages('info').at(-1)).toMatch(/is ready\. Won't fit: needs about [\d.]+ GiB of memory/);

    let shown: Pick[] = [];
    const pickHuge = (_title: string, items: unknown) => {
      shown = items as Pick[];
      return shown.find((item) => item.model?.id.startsWith('huge'));
    };
    ui.answer(pickHuge);
    ui.answer(undefined); // the question: dismissed
    await selectModelCommand(features, 'chat');
    const stories = shown.find((item) => item.model?.id === 'stories260k')!;
    expect(stories.description).toMatch(/\$\(pass\) Fits · 1,024 of 2,048 tokens$/);
    const big = shown.find((item) => item.model?.id.startsWith('huge'))!;
    expect(big.description).toMatch(/\$\(error\) Won't fit · 1,024 of 4,096 tokens$/);
    expect(big.detail).toMatch(/^Won't fit: needs about [\d.]+ GiB of memory/);
    expect(messages('warning')).toEqual([expect.stringMatching(/won't fit: it needs about [\d.]+ GiB of memory/)]);
    // Dismissed: not chosen, not loaded.
    expect(chatSetting()).toBeUndefined();
    expect(runtime.llamacpp.engine.status().modelId).toBeUndefined();

    ui.answer(pickHuge);
    ui.answer('Load Anyway');
    await selectModelCommand(features, 'chat');
    expect(chatSetting()).toMatch(/^huge/);
    expect(messages('error')).toContainEqual(
      expect.stringMatching(/^Could not load .*needs about [\d.]+ GiB of memory/),
    );
  });

  it('labels the catalog for this machine before anything downloads', async () => {
    let shown: Pick[] = [];
    ui.answer((_title: string, items: unknown) => {
      shown = items as Pick[];
      return undefined;
    });
    await downloadModelCommand(features);
    const entries = shown.filter((item) => item.description?.includes('download'));
    expect(entries.length).toBeGreaterThan(3);
    for (const entry of entries)
      expect(entry.description).toMatch(/\$\((pass|warning|error)\) (Fits|May be slow|Won't fit)/);
    expect(entries[0]!.detail).toMatch(/(Fits|May be slow|Won't fit): /);
  });
});
