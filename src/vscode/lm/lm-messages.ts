/** VS Code's chat request messages as Jan's chat messages, and Jan's models as VS Code's model entries. */
import type { ChatMessage, InferenceEngine, Model } from '@jan/core';
import type { JanLmChatInformation, JanLmRequestMessage } from './vscode-lm';

/** The vendor Jan's models are registered under (`languageModelChatProviders` in package.json). */
export const JAN_VENDOR = 'jan';
const ROLES: Record<number, 'user' | 'assistant' | 'system'> = { 1: 'user', 2: 'assistant', 3: 'system' };

/** The text of a message's parts (a text part has a string `value`; tool and data parts are left out). */
export function messageText(message: JanLmRequestMessage | string): string {
  if (typeof message === 'string') return message;
  return message.content
    .map((part) =>
      typeof part === 'object' && part !== null && typeof (part as { value?: unknown }).value === 'string'
        ? (part as { value: string }).value
        : '',
    )
    .join('');
}

/** The conversation for Jan's engine: roles mapped, empty messages dropped, an unknown role read as the user's. */
export function toChatMessages(messages: readonly JanLmRequestMessage[]): ChatMessage[] {
  return messages
    .map((message) => ({ role: ROLES[message.role] ?? 'user', content: messageText(message) }))
    .filter((message) => message.content.trim());
}

/**
 * What VS Code is told before the engine has chosen a model's context (`jan.engine.contextSize` 0:
 * the largest that fits, chosen when the model loads): a guess that never promises more than it gets.
 */
const CONTEXT_BEFORE_LOAD = 4096;

/**
 * The context a model runs with: the engine's (loaded, or planned for it); for a remote model, its
 * server's (model.json's `ctx_len`); for a local one the setting, else a guess, never above its
 * `ctx_len`, the context it was trained on (not a request: extensions/llamacpp/load-target.ts).
 */
export function modelContext(
  model: Model,
  engine: Pick<InferenceEngine, 'contextSize' | 'runsOn'>,
  contextSetting: number,
): number {
  const known = engine.contextSize?.(model.id);
  if (known && known > 0) return known;
  const declared =
    typeof model.settings.ctx_len === 'number' && model.settings.ctx_len > 0 ? model.settings.ctx_len : 0;
  const wanted = contextSetting > 0 ? contextSetting : CONTEXT_BEFORE_LOAD;
  if (engine.runsOn.kind !== 'local') return declared || wanted;
  return declared ? Math.min(declared, wanted) : wanted;
}

/** A Jan model as VS Code's model picker lists it: its one name, where its engine runs it, its context. */
export function toChatInformation(
  model: Model,
  engine: Pick<InferenceEngine, 'displayName' | 'runsOn' | 'contextSize'>,
  maxOutputTokens: number | undefined,
  contextSetting: number,
): JanLmChatInformation {
  const context = modelContext(model, engine, contextSetting);
  const output = Math.min(maxOutputTokens ?? Math.floor(context / 2), Math.floor(context / 2));
  const where = engine.runsOn.kind === 'local' ? 'on this machine' : `on ${engine.runsOn.host}`;
  return {
    id: model.id,
    name: model.name || model.id,
    family: model.engine,
    version: String(model.version),
    detail: `Jan · ${where}`,
    tooltip: `${model.name || model.id}, run by Jan with ${engine.displayName} ${where}.`,
    maxInputTokens: context - output,
    maxOutputTokens: output,
    capabilities: { imageInput: false, toolCalling: false },
  };
}
