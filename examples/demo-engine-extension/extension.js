// Connects to Jan (docs/EXTENDING.md) and registers the demo engine and the @Clipboard source.
// Everything registered is removed when this extension is deactivated (context.subscriptions).
const vscode = require('vscode');
const { createDemoEngine } = require('./demo-engine');
const { clipboardSource } = require('./clipboard-source');

async function activate(context) {
  const jan = vscode.extensions.getExtension('jan-vscode.jan-vscode');
  if (!jan) throw new Error('Jan for VS Code is not installed.');
  /** @type {import('jan-vscode/sdk').JanExtensionApi} */
  const exported = await jan.activate();
  if (!exported.version.startsWith('1.')) throw new Error(`This example needs Jan's API 1.x, not ${exported.version}.`);
  const api = exported.connect(context.extension.id);
  context.subscriptions.push(api.registerEngine(createDemoEngine()), api.registerContextSource(clipboardSource()));
}

module.exports = { activate };
