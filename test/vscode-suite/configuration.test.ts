import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeJan, manifest } from './jan-extension';

type Property = { default?: unknown };

suite('configuration', () => {
  test('every jan.* setting reads back its declared default', async () => {
    await activeJan();
    const properties = manifest.contributes.configuration.properties as Record<string, Property>;
    const names = Object.keys(properties);
    assert.ok(names.length > 0);
    for (const name of names) {
      const inspected = vscode.workspace.getConfiguration().inspect(name);
      assert.ok(inspected, `${name} is not a known setting`);
      assert.deepEqual(inspected.defaultValue, properties[name].default, `${name} default`);
    }
  });

  test('a user value is read back and removed again', async () => {
    const config = vscode.workspace.getConfiguration('jan');
    await config.update('engine.threads', 1, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(vscode.workspace.getConfiguration('jan').get('engine.threads'), 1);
    } finally {
      await config.update('engine.threads', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(vscode.workspace.getConfiguration('jan').inspect('engine.threads')?.globalValue, undefined);
  });
});
