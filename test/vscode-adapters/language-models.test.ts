import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { registerLanguageModels } from '../../src/vscode/lm/chat-provider';
import type { JanLmChatProvider } from '../../src/vscode/lm/vscode-lm';
import {
  CancellationTokenSource,
  LanguageModelTextPart,
  lm,
  registered,
  resetStandIn,
} from '../support/vscode-stand-in';
import { ScriptedEngine } from '../support/scripted-engine';
import { adapterRuntime } from './support/adapter-runtime';

let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let registration: vscode.Disposable | undefined;

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime();
  fixture.engine.names = { 'chat-1': 'Chat One', 'coder-1': 'Coder One' };
});

afterEach(async () => {
  registration?.dispose();
  registration = undefined;
  await fixture.dispose();
});

function register(maxTokens: number | undefined = 512): JanLmChatProvider {
  registration = registerLanguageModels({
    runtime: fixture.runtime,
    started: Promise.resolve(),
    logger: fixture.logger,
    maxTokens: () => maxTokens,
    contextSize: () => 4096,
  });
  const provider = registered.lmProviders.get('jan') as JanLmChatProvider | undefined;
  expect(provider).toBeDefined();
  return provider!;
}

const user = (text: string) => ({ role: 1, content: [new LanguageModelTextPart(text)], name: undefined });
const assistant = (text: string) => ({ role: 2, content: [new LanguageModelTextPart(text)], name: undefined });

describe("Jan's models in VS Code's language model API", () => {
  it('lists every model under the jan vendor by its one name', async () => {
    const provider = register();
    const models = await provider.provideLanguageModelChatInformation(
      { silent: true },
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    expect(models.map((model) => [model.id, model.name])).toEqual([
      ['chat-1', 'Chat One'],
      ['coder-1', 'Coder One'],
    ]);
    expect(models[0]!.maxOutputTokens).toBeGreaterThan(0);
    expect(models[0]!.capabilities.toolCalling).toBe(false);
  });

  it('says where each model runs, and tells VS Code when an engine moves to another host', async () => {
    const provider = register();
    let changes = 0;
    provider.onDidChangeLanguageModelChatInformation!(() => void changes++);
    const list = () =>
      provider.provideLanguageModelChatInformation(
        { silent: true },
        new CancellationTokenSource().token as vscode.CancellationToken,
      );
    expect((await list()).map((model) => model.detail)).toEqual(['Jan · on this machine', 'Jan · on this machine']);
    const before = changes;
    const moved = new ScriptedEngine({
      id: 'scripted',
      models: ['chat-1', 'coder-1'],
      runsOn: { kind: 'remote', host: 'gpu-box:8000' },
    });
    fixture.runtime.core.engines.register(moved);
    await expect.poll(() => changes - before).toBe(1);
    const after = await list();
    expect(after.map((model) => model.detail)).toEqual(['Jan · on gpu-box:8000', 'Jan · on gpu-box:8000']);
    expect(after[0]!.tooltip).toContain('on gpu-box:8000');
  });

  it('streams a reply through the inference service as text parts, with the conversation and the default max tokens', async () => {
    const provider = register(64);
    const [model] = await provider.provideLanguageModelChatInformation(
      { silent: true },
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    fixture.engine.reply = 'Two plus two is four.';
    const parts: unknown[] = [];
    await provider.provideLanguageModelChatResponse(
      model!,
      [user('What is 2+2?'), assistant('Let me think.'), user('Answer briefly.')],
      {},
      { report: (part) => parts.push(part) },
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    expect(parts.every((part) => part instanceof LanguageModelTextPart)).toBe(true);
    expect(parts.map((part) => (part as LanguageModelTextPart).value).join('')).toBe('Two plus two is four.');
    const request = fixture.engine.requests[0]!;
    expect(request.model).toBe('chat-1');
    expect(request.max_tokens).toBe(64);
    expect(request.messages).toEqual([
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: 'Let me think.' },
      { role: 'user', content: 'Answer briefly.' },
    ]);
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(/^VS Code's chat request from chat-1: 5 tokens in/),
    );
  });

  it('stops generating when VS Code cancels', async () => {
    const provider = register();
    const [model] = await provider.provideLanguageModelChatInformation(
      { silent: true },
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    fixture.engine.reply = 'one two three four five six';
    const gate = fixture.engine.hold();
    const cancel = new CancellationTokenSource();
    const parts: unknown[] = [];
    const running = provider.provideLanguageModelChatResponse(
      model!,
      [user('Count')],
      {},
      { report: (part) => parts.push(part) },
      cancel.token as vscode.CancellationToken,
    );
    gate.release(2);
    await expect.poll(() => parts.length).toBe(2);
    cancel.cancel();
    gate.release(Infinity);
    await running;
    expect(parts).toHaveLength(2);
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(/^VS Code's chat request: stopped by the user after 2 tokens/),
    );
  });

  it('on a VS Code without the provider API, registers nothing and says so in the log', () => {
    const original = lm.registerLanguageModelChatProvider;
    delete lm.registerLanguageModelChatProvider;
    try {
      expect(
        registerLanguageModels({
          runtime: fixture.runtime,
          started: Promise.resolve(),
          logger: fixture.logger,
          maxTokens: () => 512,
          contextSize: () => 4096,
        }),
      ).toBeUndefined();
      expect(fixture.logger.messages('info')).toContainEqual(expect.stringContaining('provider API is not available'));
    } finally {
      lm.registerLanguageModelChatProvider = original;
    }
  });
});
