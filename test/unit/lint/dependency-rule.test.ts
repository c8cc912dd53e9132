import * as path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The dependency rule of DESIGN.md §1, as eslint.config.mjs enforces it, checked on sample code. */
const eslint = new ESLint({ cwd: path.resolve(__dirname, '../../..') });

async function ruleErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId?.startsWith('no-restricted')).map((message) => message.message);
}

describe('the dependency rule', () => {
  it('keeps vscode and node-llama-cpp out of the core', async () => {
    expect(await ruleErrors('src/core/sample.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).toHaveLength(1);
    expect(await ruleErrors('src/core/sample.ts', "import { getLlama } from 'node-llama-cpp';\nexport const g = getLlama;\n")).not.toHaveLength(0);
    expect(await ruleErrors('src/core/sample.ts', "import { x } from '../../extensions/models';\nexport const y = x;\n")).toHaveLength(1);
  });

  it('lets extensions reach the core only through @jan/core, never vscode', async () => {
    expect(await ruleErrors('extensions/models/sample.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).toHaveLength(1);
    expect(await ruleErrors('extensions/models/sample.ts', "import { newId } from '../../src/core/ids';\nexport const n = newId;\n")).toHaveLength(1);
    expect(await ruleErrors('extensions/models/sample.ts', "import { newId } from '@jan/core';\nexport const n = newId;\n")).toEqual([]);
  });

  it('allows node-llama-cpp only in the llama.cpp worker', async () => {
    const code = "import { getLlama } from 'node-llama-cpp';\nexport const g = getLlama;\n";
    expect(await ruleErrors('extensions/llamacpp/engine-sample.ts', code)).toHaveLength(1);
    expect(await ruleErrors('extensions/llamacpp/worker/sample.ts', code)).toEqual([]);
    expect(await ruleErrors('extensions/llamacpp/engine-sample.ts', "import type { Llama } from 'node-llama-cpp';\nexport type L = Llama;\n")).toEqual([]);
  });

  it('keeps Node and the host out of the webview', async () => {
    expect(await ruleErrors('webview/sample.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toHaveLength(1);
    expect(await ruleErrors('webview/sample.ts', "import { newId } from '@jan/core';\nexport const n = newId;\n")).toHaveLength(1);
    expect(await ruleErrors('webview/sample.ts', "import type { HostMessage } from '@jan/protocol';\nexport type H = HostMessage;\n")).toEqual([]);
  });
});
