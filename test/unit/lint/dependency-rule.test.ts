import * as path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The dependency rule (docs/ARCHITECTURE.md), as eslint.config.mjs enforces it, checked on sample code. */
const eslint = new ESLint({ cwd: path.resolve(__dirname, '../../..') });

async function ruleErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((message) => message.ruleId?.startsWith('no-restricted'))
    .map((message) => message.message);
}

describe('the dependency rule', () => {
  it('keeps vscode and node-llama-cpp out of the core', async () => {
    expect(
      await ruleErrors('src/core/sample.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'src/core/sample.ts',
        "import { getLlama } from 'node-llama-cpp';\nexport const g = getLlama;\n",
      ),
    ).not.toHaveLength(0);
    expect(
      await ruleErrors('src/core/sample.ts', "import { x } from '../../extensions/models';\nexport const y = x;\n"),
    ).toHaveLength(1);
  });

  it.each([
    ['the webview', "import { x } from '../../webview/store';"],
    ['the protocol by alias', "import { x } from '@jan/protocol';"],
    ['the protocol by path', "import { x } from '../protocol/messages';"],
    ['the protocol folder', "import { x } from '../protocol';"],
    ['the VS Code adapters', "import { x } from '../vscode/activate';"],
    ['the VS Code adapters, deeper', "import { x } from '../vscode/chat/controller';"],
  ])('keeps %s out of the core', async (_what, line) => {
    expect(await ruleErrors('src/core/store/sample.ts', `${line}\nexport const y = x;\n`)).toHaveLength(1);
  });

  it('lets the core import the core', async () => {
    expect(
      await ruleErrors('src/core/store/sample.ts', "import { x } from '../events';\nexport const y = x;\n"),
    ).toEqual([]);
  });

  it('lets extensions reach the core only through @jan/core, never vscode', async () => {
    expect(
      await ruleErrors('extensions/models/sample.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'extensions/models/sample.ts',
        "import { newId } from '../../src/core/ids';\nexport const n = newId;\n",
      ),
    ).toHaveLength(1);
    expect(
      await ruleErrors('extensions/models/sample.ts', "import { newId } from '@jan/core';\nexport const n = newId;\n"),
    ).toEqual([]);
  });

  it.each([
    ['the VS Code adapters', "import { x } from '../../src/vscode/activate';"],
    ['the protocol', "import { x } from '@jan/protocol';"],
    ['the webview', "import { x } from '../../webview/store';"],
  ])('keeps %s out of the extensions', async (_what, line) => {
    expect(await ruleErrors('extensions/assistants/sample.ts', `${line}\nexport const y = x;\n`)).toHaveLength(1);
  });

  it("keeps one extension out of another's files, but not out of its own folders", async () => {
    expect(
      await ruleErrors(
        'extensions/models/sample.ts',
        "import { x } from '../llamacpp/worker/main';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'extensions/llamacpp/rpc/sample.ts',
        "import { x } from '../../models/downloader/protocol';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'extensions/llamacpp/rpc/sample.ts',
        "import { x } from '../worker/main';\nexport const y = x;\n",
      ),
    ).toEqual([]);
    expect(
      await ruleErrors(
        'extensions/models/sample.ts',
        "import { x } from './downloader/protocol';\nexport const y = x;\n",
      ),
    ).toEqual([]);
  });

  it('lets the headless runtime assemble the core and the extensions, without the editor or the view', async () => {
    expect(
      await ruleErrors('src/node/sample.ts', "import { x } from '../../extensions/models';\nexport const y = x;\n"),
    ).toEqual([]);
    expect(await ruleErrors('src/node/sample.ts', "import { x } from '@jan/core';\nexport const y = x;\n")).toEqual([]);
    for (const line of [
      "import * as x from 'vscode';",
      "import { x } from '../vscode/activate';",
      "import { x } from '@jan/protocol';",
      "import { x } from '../../webview/store';",
    ]) {
      expect(await ruleErrors('src/node/sample.ts', `${line}\nexport const y = x;\n`)).toHaveLength(1);
    }
  });

  it.each([
    ['the core', "import { x } from '@jan/core';"],
    ['the core by path', "import { x } from '../core/events';"],
    ['Node', "import { x } from 'node:fs';"],
    ['vscode', "import { x } from 'vscode';"],
  ])('keeps %s out of the protocol the webview shares', async (_what, line) => {
    expect(await ruleErrors('src/protocol/sample.ts', `${line}\nexport const y = x;\n`)).toHaveLength(1);
  });

  it('allows node-llama-cpp only in the llama.cpp worker', async () => {
    const code = "import { getLlama } from 'node-llama-cpp';\nexport const g = getLlama;\n";
    expect(await ruleErrors('extensions/llamacpp/engine-sample.ts', code)).toHaveLength(1);
    expect(await ruleErrors('extensions/llamacpp/worker/sample.ts', code)).toEqual([]);
    expect(await ruleErrors('extensions/models/downloader/sample.ts', code)).toEqual([]);
    expect(await ruleErrors('extensions/models/sample.ts', code)).toHaveLength(1);
    expect(await ruleErrors('src/vscode/sample.ts', code)).toHaveLength(1);
    expect(
      await ruleErrors(
        'extensions/llamacpp/engine-sample.ts',
        "import type { Llama } from 'node-llama-cpp';\nexport type L = Llama;\n",
      ),
    ).toEqual([]);
  });

  it('keeps Node and the host out of the webview', async () => {
    expect(
      await ruleErrors(
        'webview/sample.ts',
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      ),
    ).toHaveLength(1);
    expect(
      await ruleErrors('webview/sample.ts', "import { newId } from '@jan/core';\nexport const n = newId;\n"),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'webview/sample.ts',
        "import type { HostMessage } from '@jan/protocol';\nexport type H = HostMessage;\n",
      ),
    ).toEqual([]);
  });

  it('keeps the validation helpers on valibot alone, and every layer on them', async () => {
    for (const line of [
      "import { x } from '@jan/core';",
      "import { x } from 'node:fs';",
      "import { x } from '../protocol';",
    ])
      expect(await ruleErrors('src/validation/sample.ts', `${line}\nexport const y = x;\n`), line).toHaveLength(1);
    for (const file of [
      'src/core/sample.ts',
      'src/protocol/sample.ts',
      'extensions/models/sample.ts',
      'webview/sample.ts',
    ])
      expect(
        await ruleErrors(file, "import { validate } from '@jan/validation';\nexport const c = validate;\n"),
        file,
      ).toEqual([]);
    expect(
      await ruleErrors(
        'extensions/remote/sample.ts',
        "import * as v from 'valibot';\nexport const r = v.safeParse(v.string(), 1);\n",
      ),
    ).toEqual([expect.stringContaining('validate() from @jan/validation')]);
  });

  it.each([
    [
      'a computed assignment',
      'export function copy(from: Record<string, unknown>, to: Record<string, unknown>, key: string) {\n  to[key] = from[key];\n}\n',
    ],
    ['Object.assign', 'export const copy = (from: object) => Object.assign({}, from);\n'],
  ])('keeps %s (the "__proto__" setter) out of code that copies records from disk', async (_what, code) => {
    for (const file of [
      'src/core/store/sample.ts',
      'extensions/conversational/sample.ts',
      'extensions/assistants/sample.ts',
      'extensions/models/model-json.ts',
    ]) {
      expect(await ruleErrors(file, code), file).toEqual([
        expect.stringMatching(/Object.assign calls setters|Keys read from disk are data/),
      ]);
    }
  });
});
