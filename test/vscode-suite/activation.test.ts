import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeJan, extensionId } from './jan-extension';

/** The Jan output channel's document once the workbench shows it, with the line `text`. */
function shownLog(text: string): Promise<vscode.TextDocument> {
  const matches = (document: vscode.TextDocument) =>
    ['output', 'log'].includes(document.uri.scheme) &&
    /jan/i.test(document.uri.path) &&
    document.getText().includes(text);
  return new Promise((resolve) => {
    const found = (document: vscode.TextDocument) => {
      if (!matches(document)) return;
      subscriptions.forEach((subscription) => subscription.dispose());
      resolve(document);
    };
    // Shown output is a document of the `output` (or a log file's `log`) scheme; its text may arrive after it opens.
    const subscriptions = [
      vscode.workspace.onDidOpenTextDocument(found),
      vscode.workspace.onDidChangeTextDocument((event) => found(event.document)),
    ];
    vscode.workspace.textDocuments.forEach(found);
  });
}

suite('activation', () => {
  test('the extension activates without error in the real extension host', async () => {
    const extension = await activeJan();
    assert.equal(extension.isActive, true);
    assert.equal(extension.id, extensionId);
  });

  test('Jan: Show Log shows the Jan output channel, with the activation line in it', async () => {
    await activeJan();
    assert.ok((await vscode.commands.getCommands(true)).includes('jan.showLog'));
    const shown = shownLog('Activated in');
    await vscode.commands.executeCommand('jan.showLog');
    const document = await shown;
    assert.match(document.getText(), /Activated in [\d.]+ ms/);
  });
});
