export interface SelectionBlockInput {
  code: string;
  /** VS Code language id of the document. */
  languageId: string;
  /** Workspace-relative path. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

/** VS Code language ids whose fence name differs (the webview highlights by fence name). */
const FENCE_NAMES: Record<string, string> = {
  typescriptreact: 'tsx',
  javascriptreact: 'jsx',
  shellscript: 'bash',
  plaintext: 'text',
  jsonc: 'json',
  dockercompose: 'yaml',
};

/** The fence's info-string name for a VS Code language id. */
export function fenceLanguage(languageId: string): string {
  return FENCE_NAMES[languageId] ?? languageId;
}

/** A code fence longer than any backtick run in `text`, so the text cannot close it. */
export function fenceFor(text: string): string {
  let longest = 2;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return '`'.repeat(longest + 1);
}

/**
 * The selection as a fenced block whose info string names the language, file and lines
 * (```ts src/a.ts:3-9). The fence is longer than any backtick run in the code.
 */
export function fencedSelection({ code, languageId, path, startLine, endLine }: SelectionBlockInput): string {
  const fence = fenceFor(code);
  const lines = startLine === endLine ? `${startLine}` : `${startLine}-${endLine}`;
  const language = fenceLanguage(languageId);
  const location = `${path}:${lines}`;
  return `${fence}${language} ${location}\n${code.replace(/\r?\n$/, '')}\n${fence}\n`;
}
