import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeJan, extensionId } from './jan-extension';

suite('activation', () => {
  test('the extension activates without error in the real extension host', async () => {
    const extension = await activeJan();
    assert.equal(extension.isActive, true);
    assert.equal(extension.id, extensionId);
  });

  test('Jan: Show Log runs (the Jan output channel exists)', async () => {
    await activeJan();
    await vscode.commands.executeCommand('jan.showLog');
  });
});
