import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeJan, manifest } from './jan-extension';

suite('commands', () => {
  test('every command the manifest contributes is registered after activation', async () => {
    await activeJan();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((command) => command.command);
    assert.ok(contributed.length > 0);
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
