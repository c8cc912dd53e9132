import * as vscode from 'vscode';
import type { Disposable, JanTool, ToolRegistry } from '@jan/core';
import type { JanLmToolInformation, JanLmTools } from './vscode-lm';

/** Tool names a model may use: OpenAI's rules. */
const NAME = /[^A-Za-z0-9_-]/g;

/** `vscode.lm` with the tools API (VS Code 1.93+); undefined on an older editor. */
function lmTools(): JanLmTools | undefined {
  const lm = vscode.lm as unknown as Partial<JanLmTools> | undefined;
  return lm && Array.isArray(lm.tools) && typeof lm.invokeTool === 'function' ? (lm as JanLmTools) : undefined;
}

/**
 * VS Code's own tools named `*_internal` (`vscode_editFile_internal`, …) run only inside its chat's
 * editing session: invoked from here they fail ("This tool must be called from within an editing
 * session"), so offering one costs the model prompt tokens and a failed call.
 */
function isInternal(info: JanLmToolInformation): boolean {
  return info.name.endsWith('_internal');
}

/** The text of a tool result's parts (a text part has a string `value`); other parts are named. */
function resultText(content: ReadonlyArray<unknown>): string {
  return content
    .map((part) => {
      const value = (part as { value?: unknown } | null)?.value;
      return typeof value === 'string' ? value : '[a part that is not text]';
    })
    .join('\n');
}

function editorTool(lm: JanLmTools, info: JanLmToolInformation, name: string): JanTool {
  return {
    definition: {
      name,
      description: info.description.slice(0, 1000),
      parameters: (info.inputSchema as JanTool['definition']['parameters'] | undefined) ?? {
        type: 'object',
        properties: {},
      },
    },
    // Another extension's code runs: it asks first, whatever it does.
    effect: 'run',
    source: 'vscode',
    async invoke(args, context) {
      const cancel = new vscode.CancellationTokenSource();
      const stop = () => cancel.cancel();
      context.signal.addEventListener('abort', stop, { once: true });
      try {
        const result = await lm.invokeTool(info.name, { input: args, toolInvocationToken: undefined }, cancel.token);
        return { content: resultText(result.content) };
      } finally {
        context.signal.removeEventListener('abort', stop);
        cancel.dispose();
      }
    },
  };
}

/**
 * Offers the agent the tools other extensions contribute to `vscode.lm.tools`, run through VS
 * Code's own `vscode.lm.invokeTool` (so each runs as its extension defines, with its own checks),
 * each behind the agent's approval (`run`). Named `vscode_<name>` so none takes a built-in's
 * place; refreshed when extensions change. Nothing on an editor without the API.
 */
export function registerEditorTools(tools: ToolRegistry): vscode.Disposable {
  const lm = lmTools();
  if (!lm) return new vscode.Disposable(() => undefined);
  let registered: Disposable[] = [];
  const sync = () => {
    for (const registration of registered) registration.dispose();
    registered = [];
    for (const info of lm.tools) {
      if (isInternal(info)) continue;
      const name = `vscode_${info.name.replace(NAME, '_')}`.slice(0, 64);
      if (!tools.get(name)) registered.push(tools.register(editorTool(lm, info, name)));
    }
  };
  sync();
  const changes = vscode.extensions.onDidChange(sync);
  return new vscode.Disposable(() => {
    changes.dispose();
    for (const registration of registered) registration.dispose();
  });
}
