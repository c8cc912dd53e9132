/**
 * Text a tool returns, made readable for a model: terminal colour and cursor codes removed,
 * lines a progress bar redrew with `\r` reduced to their last state, other control characters
 * dropped (tabs and newlines stay). Tool output is untrusted; this keeps it data.
 */
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function readableText(text: string): string {
  // Line by line: a pattern over the whole text would backtrack quadratically on one huge line.
  return text
    .replace(ANSI, '')
    .split('\n')
    .map((line) => {
      const withoutCr = line.endsWith('\r') ? line.slice(0, -1) : line;
      return withoutCr.slice(withoutCr.lastIndexOf('\r') + 1).replace(CONTROL, '');
    })
    .join('\n');
}
