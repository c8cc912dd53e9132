import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeJan } from './jan-extension';

/** The model test/e2e/fixture.mjs (createSuiteSettings) puts in the suite's models folder. */
const SUITE_MODEL_ID = 'stories260k-chatml-fim';

/** True on a VS Code with the language model provider API (1.104+); @types/vscode 1.90 does not declare it. */
function hasProviderApi(): boolean {
  return (
    typeof (vscode.lm as unknown as { registerLanguageModelChatProvider?: unknown })
      .registerLanguageModelChatProvider === 'function'
  );
}

async function janModels(timeoutMs: number): Promise<vscode.LanguageModelChat[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const models = await vscode.lm.selectChatModels({ vendor: 'jan' });
    if (models.length > 0 || Date.now() > deadline) return models;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

suite("VS Code's language model API", () => {
  test(`Jan's models are offered under the "jan" vendor and stream a reply (${vscode.version})`, async function () {
    this.timeout(120_000);
    await activeJan();
    if (!hasProviderApi()) {
      // An older VS Code: nothing is offered, and Jan activated without it.
      assert.deepEqual(await vscode.lm.selectChatModels({ vendor: 'jan' }), []);
      return;
    }
    const models = await janModels(30_000);
    const model = models.find((candidate) => candidate.id === SUITE_MODEL_ID);
    assert.ok(model, `the jan vendor lists ${models.map((candidate) => candidate.id).join(', ') || 'nothing'}`);
    assert.equal(model.vendor, 'jan');
    assert.equal(model.name, 'stories260K chatml fim');
    assert.ok(model.maxInputTokens > 0);

    const source = new vscode.CancellationTokenSource();
    // A short reply: the tiny model would otherwise write up to jan.chat.maxTokens on a busy machine.
    const response = await model.sendRequest(
      [vscode.LanguageModelChatMessage.User('Once upon a time')],
      { modelOptions: { max_tokens: 16 } },
      source.token,
    );
    let text = '';
    for await (const chunk of response.text) text += chunk;
    assert.ok(text.trim().length > 0, 'the reply streamed no text');
    assert.ok((await model.countTokens('Once upon a time', source.token)) > 0);
  });
});
