// An `@` source (docs/EXTENDING.md, "An @ source"): "@Clipboard" in Jan's chat attaches what is
// on the clipboard. A source with `search` offers several items; this one is a single entry.
const vscode = require('vscode');

/** @returns {import('jan-vscode/sdk').ContextSource} */
function clipboardSource() {
  return {
    id: 'demo.clipboard',
    label: 'Clipboard',
    description: 'the text on the clipboard',
    icon: 'clippy',
    async read() {
      const text = await vscode.env.clipboard.readText();
      if (!text.trim()) throw new Error('The clipboard is empty.');
      return { label: 'Clipboard', text };
    },
  };
}

module.exports = { clipboardSource };
