import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeJan, workspaceFolder } from './jan-extension';

/** Ids of the thread folders under `.jan/threads` that hold a thread.json, read from disk. */
async function threadIds(folder: vscode.Uri): Promise<string[]> {
  const threadsDir = vscode.Uri.joinPath(folder, '.jan', 'threads');
  const entries = await Promise.resolve(vscode.workspace.fs.readDirectory(threadsDir)).catch(() => []);
  const ids: string[] = [];
  for (const [name, type] of entries) {
    const file = vscode.Uri.joinPath(threadsDir, name, 'thread.json');
    if (
      type === vscode.FileType.Directory &&
      (await Promise.resolve(vscode.workspace.fs.stat(file)).then(
        () => true,
        () => false,
      ))
    )
      ids.push(name);
  }
  return ids;
}

async function newThreadIds(folder: vscode.Uri, before: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const added = (await threadIds(folder)).filter((id) => !before.includes(id));
    if (added.length > 0 || Date.now() > deadline) return added;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

suite('store', () => {
  const decoder = new TextDecoder();
  let source: vscode.Uri | undefined;

  teardown(async () => {
    if (source) await vscode.workspace.fs.delete(source);
    source = undefined;
  });

  test('a chat started from a selection is stored in the workspace .jan folder, in Jan format', async () => {
    await activeJan();
    const folder = workspaceFolder();
    source = vscode.Uri.joinPath(folder, `jan-store-test-${Date.now()}.py`);
    await vscode.workspace.fs.writeFile(source, new TextEncoder().encode('def add(a, b):\n    return a + b\n'));
    const before = await threadIds(folder);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(source));
    editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
    // No model is configured here: the reply fails, but the thread is saved first.
    await vscode.commands.executeCommand('jan.explainSelection');

    const added = await newThreadIds(folder, before, 15_000);
    assert.equal(added.length, 1, 'one new thread folder with a thread.json under .jan/threads');
    const thread = JSON.parse(
      decoder.decode(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.jan', 'threads', added[0]!, 'thread.json')),
      ),
    );
    assert.equal(thread.object, 'thread');
    assert.equal(thread.id, added[0]);
    assert.ok(Array.isArray(thread.assistants) && thread.assistants.length === 1, 'the thread names its assistant');
    const gitignore = decoder.decode(
      await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.jan', '.gitignore')),
    );
    assert.match(gitignore, /threads/, '.jan/.gitignore keeps threads out of git');
  });
});
