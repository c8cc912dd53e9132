import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertionEdit, MemoryLogger, openingText, rewriteEdit, runCodeEdit } from '@jan/core';
import type { ChatMessage, CodeEditProgress, ModelChoice } from '@jan/core';
import { JanRuntime } from '../../../src/node/runtime';
import { SMALL_ENGINE, testSettings } from '../../support/test-settings';
import { CHAT_FIM_MODEL, modelsFolder, workerPath } from './support/engine-fixture';

/**
 * Edits of code (inline chat, the commands on a selection) through the runtime the extension
 * runs, on the real llama.cpp worker and the test model: the opened code block is continued, the
 * limit and Stop hold, and the streamed text only grows. The model writes stories: shape only.
 */
let root: string;
let runtime: JanRuntime;
let logger: MemoryLogger;
let model: ModelChoice;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-code-edit-'));
  logger = new MemoryLogger();
  runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger,
    workerPath: await workerPath(),
    downloadWorkerPath: path.join(root, 'unused-download-worker.mjs'),
    settings: testSettings({ ...SMALL_ENGINE, 'jan.engine.contextSize': 2048 }),
  });
  expect(await runtime.start()).toEqual([]);
  const imported = await runtime.models.importModel(path.join(modelsFolder, `${CHAT_FIM_MODEL}.gguf`), {
    mode: 'reference',
  });
  model = await runtime.inference.choiceFor(imported.id);
}, 180_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(root, { recursive: true, force: true });
});

const FILE = [
  'def add(a, b):',
  '    return a + b',
  '',
  '',
  'def mean(values):',
  '    return sum(values) / len(values)',
  '',
];

/** The prompt tokens the engine evaluated for `messages` (one token generated). */
/** Inline chat on the blank line between the two functions. */
const AT_BLANK_LINE = insertionEdit({
  lines: FILE,
  line: 2,
  languageId: 'python',
  fileName: 'math_utils.py',
  instruction: 'Write a helper.',
});

async function promptTokens(messages: ChatMessage[]): Promise<number> {
  let tokens = 0;
  for await (const chunk of runtime.inference.chat(model, { messages, stream: true, max_tokens: 1 })) {
    tokens = chunk.usage?.prompt_tokens ?? tokens;
  }
  return tokens;
}

describe('an edit of code with the real engine', () => {
  it('continues the opened code block: the prompt is the new turn plus exactly the opening', async () => {
    const { edit } = AT_BLANK_LINE;
    const opening = openingText(edit.opening);
    const plain = await promptTokens(edit.messages);
    const opened = await promptTokens([...edit.messages, { role: 'assistant', content: opening }]);
    const engine = runtime.inference.engine(model);
    // countTokens of a text on its own may count a start-of-text token; a new turn would add the
    // end of one turn and the start of another (dozens of tokens in this model's ChatML).
    expect(opened - plain).toBeGreaterThan(0);
    expect(opened - plain).toBeLessThanOrEqual(await engine.countTokens!(model.id, opening));
  }, 180_000);

  it('writes at a cursor within its limit, the streamed text only growing, counted in the log', async () => {
    const { edit } = AT_BLANK_LINE;
    const shown: string[] = [];
    const outcome = await runCodeEdit(runtime.inference, model, edit, {
      logger,
      onProgress: ({ replacement }: CodeEditProgress) => void (replacement !== undefined && shown.push(replacement)),
    });
    expect(['complete', 'incomplete']).toContain(outcome.status);
    expect(outcome.tokens).toBeGreaterThan(0);
    expect(outcome.tokens).toBeLessThanOrEqual(edit.maxTokens);
    for (let index = 1; index < shown.length; index++) expect(shown[index]!.startsWith(shown[index - 1]!)).toBe(true);
    if (outcome.status !== 'no-code') {
      const final = outcome.replacement ?? '';
      // The opened block was continued: its opening never shows up as code.
      expect(final).not.toMatch(/^```/m);
      if (shown.length > 0) expect(final.startsWith(shown.at(-1)!.replace(/\n+$/, ''))).toBe(true);
    }
    expect(logger.messages('info')).toContainEqual(
      expect.stringMatching(/^Inline chat at math_utils\.py:3 from .+: \d+ tokens in [\d.]+ s.*; prompt \d+ tokens/),
    );
  }, 180_000);

  it('stops at the rewrite limit, and at the user’s Stop', async () => {
    const input = {
      code: FILE.slice(4, 6).join('\n'),
      languageId: 'python',
      fileName: 'math_utils.py',
      startLine: 5,
      endLine: 6,
    };
    const edit = { ...rewriteEdit('refactor', input), maxTokens: 16 };
    const limited = await runCodeEdit(runtime.inference, model, edit, { logger });
    expect(limited.tokens).toBeLessThanOrEqual(16);

    const controller = new AbortController();
    const stopped = await runCodeEdit(runtime.inference, model, rewriteEdit('refactor', input), {
      logger,
      signal: controller.signal,
      onProgress: ({ tokens }) => {
        if (tokens === 3) controller.abort();
      },
    });
    expect(stopped).toMatchObject({ status: 'incomplete', reason: 'stopped' });
    expect(stopped.tokens).toBeGreaterThanOrEqual(3);
    expect(stopped.tokens).toBeLessThan(rewriteEdit('refactor', input).maxTokens);
    expect(logger.messages('info')).toContainEqual(
      expect.stringMatching(/^Refactor on math_utils\.py:5-6: stopped by the user/),
    );
  }, 180_000);
});
