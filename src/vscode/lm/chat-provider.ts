import * as vscode from 'vscode';
import { errorMessage, logReply, type Logger } from '@jan/core';
import type { JanRuntime } from '../../node/runtime';
import { JAN_VENDOR, messageText, toChatInformation, toChatMessages } from './lm-messages';
import type { JanLmChatProvider, JanLmRegistry, JanLmTextPartClass } from './vscode-lm';

/** Rough characters per token, for counting text without a loaded model. */
const CHARS_PER_TOKEN = 4;

export interface LanguageModelDeps {
  runtime: JanRuntime;
  /** Resolves once the runtime's extensions are loaded: the models are listed after it. */
  started: Promise<unknown>;
  logger: Logger;
  /** The reply length when VS Code's caller sets none (`jan.chat.maxTokens`). */
  maxTokens: () => number | undefined;
  /** `jan.engine.contextSize`: the context of a model the engine has not chosen one for yet (0: it chooses at load). */
  contextSize: () => number;
}

/** `vscode.lm.registerLanguageModelChatProvider` and `vscode.LanguageModelTextPart`, when this VS Code has them. */
function providerApi(): { lm: JanLmRegistry; TextPart: JanLmTextPartClass } | undefined {
  const lm = (vscode as unknown as { lm?: Partial<JanLmRegistry> }).lm;
  const TextPart = (vscode as unknown as { LanguageModelTextPart?: JanLmTextPartClass }).LanguageModelTextPart;
  if (typeof lm?.registerLanguageModelChatProvider !== 'function' || typeof TextPart !== 'function') return undefined;
  return { lm: lm as JanLmRegistry, TextPart };
}

/**
 * Offers Jan's models (installed, and those engines list) to VS Code's own AI features as the
 * `jan` vendor: VS Code's chat and any extension calling `vscode.lm.selectChatModels` can use them.
 * Every reply runs through `InferenceService`, like Jan's chat. Undefined on a VS Code without the
 * provider API (before 1.104): Jan works as before.
 */
export function registerLanguageModels(deps: LanguageModelDeps): vscode.Disposable | undefined {
  const api = providerApi();
  if (!api) {
    deps.logger.info(
      "VS Code's language model provider API is not available here (VS Code 1.104+): Jan's models stay in Jan's own chat.",
    );
    return undefined;
  }
  const { runtime, logger } = deps;
  const changed = new vscode.EventEmitter<void>();
  const subscriptions = [
    runtime.core.events.on('OnModelsChanged', () => changed.fire()),
    // A remote engine's server changed: its models are listed again, with their new place.
    runtime.core.events.on('OnEnginesChanged', () => changed.fire()),
  ];
  // VS Code may ask before the models folder was read: it is told to ask again once it was.
  void deps.started.then(() => changed.fire());
  const provider: JanLmChatProvider = {
    onDidChangeLanguageModelChatInformation: changed.event,
    async provideLanguageModelChatInformation() {
      try {
        await deps.started;
        return (await runtime.inference.runnableModels()).map(({ model, engine }) =>
          toChatInformation(model, engine, deps.maxTokens(), deps.contextSize()),
        );
      } catch (error) {
        logger.warn(`VS Code asked for Jan's models, but they could not be listed: ${errorMessage(error)}`);
        return [];
      }
    },
    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      const startedAt = Date.now();
      let firstTokenAt: number | undefined;
      let tokens = 0;
      const requested = options.modelOptions?.max_tokens;
      const maxTokens = typeof requested === 'number' && requested > 0 ? requested : deps.maxTokens();
      try {
        await deps.started;
        const choice = await runtime.inference.choiceFor(model.id);
        const request = {
          messages: toChatMessages(messages),
          stream: true,
          ...(maxTokens ? { max_tokens: maxTokens } : {}),
        };
        for await (const chunk of runtime.inference.chat(choice, request, controller.signal)) {
          const delta = chunk.choices[0]?.delta.content;
          if (!delta) continue;
          firstTokenAt ??= Date.now();
          tokens += 1;
          progress.report(new api.TextPart(delta));
        }
      } finally {
        cancel.dispose();
        const status = controller.signal.aborted ? 'stopped' : 'ready';
        logReply(logger, {
          what: "VS Code's chat request",
          modelId: model.id,
          status,
          completionTokens: tokens,
          startedAt,
          firstTokenAt,
          finishedAt: Date.now(),
        });
      }
    },
    async provideTokenCount(model, text) {
      const content = messageText(text);
      const engine = runtime.inference.engine(await runtime.inference.choiceFor(model.id));
      // Counting with the model needs it loaded; VS Code asks often, so a loaded model counts and an unloaded one is estimated.
      if (engine.countTokens && engine.status().state !== 'idle')
        return engine.countTokens(model.id, content).catch(() => Math.ceil(content.length / CHARS_PER_TOKEN));
      return Math.ceil(content.length / CHARS_PER_TOKEN);
    },
  };
  const registration = api.lm.registerLanguageModelChatProvider(JAN_VENDOR, provider);
  logger.info(`Jan's models are offered to VS Code's chat (vendor "${JAN_VENDOR}").`);
  return vscode.Disposable.from(registration, changed, {
    dispose: () => subscriptions.forEach((subscription) => subscription.dispose()),
  });
}
