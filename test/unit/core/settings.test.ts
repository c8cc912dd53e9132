import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  JanSettings,
  MemorySettings,
  SETTINGS,
  SETTING_KEYS,
  completionSettings,
  engineSettings,
  settingsUnder,
  type SettingKey,
  type SettingLevels,
} from '@jan/core';

/** Settings over values the test sets, with the warnings they raised. */
function bounded(values: { [K in SettingKey]?: unknown } = {}) {
  const warnings: string[] = [];
  const source = new MemorySettings(values);
  return { settings: new JanSettings(source, { warn: (text) => warnings.push(text) }), source, warnings };
}

describe('the settings registry', () => {
  interface Property {
    type: string;
    default: unknown;
    minimum?: number;
    maximum?: number;
    enum?: string[];
  }
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, Property> } };
  };
  const properties = manifest.contributes.configuration.properties;

  it('has exactly the settings package.json contributes', () => {
    expect([...SETTING_KEYS].sort()).toEqual(Object.keys(properties).sort());
  });

  it.each(SETTING_KEYS)('%s: package.json declares its type, default, bounds and choices', (key) => {
    const spec = SETTINGS[key];
    const property = properties[key]!;
    expect(property.type).toBe(spec.kind);
    expect(property.default).toEqual(spec.default);
    expect(property.minimum).toBe(spec.min);
    // A maximum that is this machine's (logical cores) is not declared: package.json cannot know it.
    expect(property.maximum).toBe(spec.maxOf ? undefined : spec.max);
    expect(property.enum).toEqual(spec.choices ? [...spec.choices] : undefined);
  });

  it('restricts in untrusted workspaces exactly the settings the registry restricts', () => {
    const restricted = SETTING_KEYS.filter((key) => SETTINGS[key].trust !== 'any');
    expect([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort()).toEqual(restricted.sort());
  });

  it('writes the default context size once: the engine, the meter and VS Code read it from here', () => {
    expect(bounded().settings.get('jan.engine.contextSize')).toBe(SETTINGS['jan.engine.contextSize'].default);
    const defaults = settingsUnder('jan.engine').map((key) => [key.slice('jan.engine.'.length), SETTINGS[key].default]);
    expect(engineSettings(bounded().settings)).toEqual(Object.fromEntries(defaults));
    // 0: the largest context that fits the memory budget (extensions/llamacpp/worker/model-plan.ts).
    expect(SETTINGS['jan.engine.contextSize'].default).toBe(0);
  });
});

describe('values a workspace can set', () => {
  const cores = availableParallelism();

  it('passes sane values through without a warning', () => {
    const { settings, warnings } = bounded({ 'jan.engine.threads': 1, 'jan.engine.gpu': 'off' });
    expect(engineSettings(settings)).toMatchObject({ threads: 1, gpu: 'off' });
    expect(warnings).toEqual([]);
  });

  it('clamps absurd thread counts to the machine, with a warning naming the setting, once', () => {
    const { settings, warnings } = bounded({ 'jan.engine.threads': 100_000 });
    expect(settings.get('jan.engine.threads')).toBe(cores);
    expect(settings.get('jan.engine.threads')).toBe(cores);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`jan\\.engine\\.threads is 100000.*using ${cores}`))]);
    for (const bad of [-3, Number.NaN, 'many', 2.5e300]) {
      const each = bounded({ 'jan.engine.threads': bad });
      expect(each.settings.get('jan.engine.threads'), String(bad)).toBeGreaterThanOrEqual(0);
      expect(each.settings.get('jan.engine.threads'), String(bad)).toBeLessThanOrEqual(cores);
      expect(each.warnings, String(bad)).toHaveLength(1);
    }
  });

  it('clamps the context sizes to their bounds, with a warning', () => {
    const huge = bounded({ 'jan.engine.contextSize': 1e12 });
    expect(huge.settings.get('jan.engine.contextSize')).toBe(131_072);
    expect(huge.warnings).toEqual([expect.stringMatching(/jan\.engine\.contextSize is 1000000000000.*using 131072/)]);
    const tiny = bounded({ 'jan.engine.contextSize': 3 });
    expect(tiny.settings.get('jan.engine.contextSize')).toBe(256);
    expect(tiny.warnings).toEqual([expect.stringMatching(/is 3; using 256 \(the smallest context .*0 is the largest/)]);
    const auto = bounded({ 'jan.engine.contextSize': 0 });
    expect([auto.settings.get('jan.engine.contextSize'), auto.warnings]).toEqual([0, []]);
    expect(bounded({ 'jan.engine.contextSize': 5000.7 }).settings.get('jan.engine.contextSize')).toBe(5000);
    expect(bounded({ 'jan.engine.contextSize': Infinity }).settings.get('jan.engine.contextSize')).toBe(131_072);
    expect(
      bounded({ 'jan.engine.completionContextSize': 'big' }).settings.get('jan.engine.completionContextSize'),
    ).toBe(2048);
  });

  it('accepts only the known transports and GPU modes', () => {
    const { settings, warnings } = bounded({ 'jan.engine.transport': 'inline', 'jan.engine.gpu': 'cuda;rm -rf' });
    expect(engineSettings(settings)).toMatchObject({ transport: 'process', gpu: 'auto' });
    expect(warnings).toEqual([
      expect.stringContaining('one of auto, cuda, vulkan, metal, cpu, off'),
      expect.stringContaining('one of process, thread'),
    ]);
  });

  it('bounds the inline completion numbers, and replaces values of the wrong type', () => {
    const absurd = bounded({
      'jan.inlineCompletion.debounceMs': -5,
      'jan.inlineCompletion.maxTokens': 1e9,
      'jan.inlineCompletion.minChars': 1e6,
      'jan.inlineCompletion.timeLimitMs': 1,
      'jan.inlineCompletion.maxLines': 0,
      'jan.inlineCompletion.enabled': 'yes',
    });
    expect(completionSettings(absurd.settings)).toEqual({
      enabled: true,
      debounceMs: 0,
      maxTokens: 1024,
      minChars: 100,
      timeLimitMs: 50,
      maxLines: 1,
      otherFilesContext: true,
    });
    expect(absurd.warnings).toHaveLength(6);
    expect(bounded({ 'jan.apiServer.allowedHosts': ['a', 1] }).settings.get('jan.apiServer.allowedHosts')).toEqual([]);
  });
});

describe('trust and levels', () => {
  function workspaceSettings(trusted: boolean, values: Partial<Record<SettingKey, SettingLevels>>) {
    return new JanSettings({ levels: (key) => values[key] ?? {}, isTrusted: () => trusted });
  }

  it("a restricted workspace's value is ignored until the workspace is trusted; the user's counts", () => {
    const values = { 'jan.modelsFolder': { user: '/home/me/models', workspace: '/tmp/evil' } };
    expect(workspaceSettings(false, values).get('jan.modelsFolder')).toBe('/home/me/models');
    expect(workspaceSettings(true, values).get('jan.modelsFolder')).toBe('/tmp/evil');
    const transport = { 'jan.engine.transport': { workspace: 'thread' } };
    expect(workspaceSettings(false, transport).get('jan.engine.transport')).toBe('process');
  });

  it('a user-only setting never takes the workspace value, trusted or not', () => {
    const values = { 'jan.apiServer.startWithEditor': { workspace: true } };
    expect(workspaceSettings(true, values).get('jan.apiServer.startWithEditor')).toBe(false);
    expect(workspaceSettings(true, values).levels('jan.apiServer.startWithEditor')).toEqual({ user: undefined });
  });

  it("a setting any workspace may set: the workspace's wins over the user's", () => {
    const values = { 'jan.chatModel': { user: 'mine', workspace: 'team' } };
    expect(workspaceSettings(false, values).get('jan.chatModel')).toBe('team');
  });

  it('listeners hear only the keys they asked for', () => {
    const { settings, source } = bounded();
    const heard: string[] = [];
    const subscription = settings.onDidChange(['jan.engine.threads'], () => heard.push('threads'));
    source.set('jan.chatModel', 'x');
    source.set('jan.engine.threads', 2);
    subscription.dispose();
    source.set('jan.engine.threads', 3);
    expect(heard).toEqual(['threads']);
    expect(settings.get('jan.engine.threads')).toBe(Math.min(3, availableParallelism()));
  });
});
