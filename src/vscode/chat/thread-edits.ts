/** The change to a thread.json that the chat view's settings panel makes. */
import { firstAssistant, withFirstAssistant, type Thread, type ThreadChanges } from '@jan/core';
import type { ThreadSettings } from '@jan/protocol';

function setOrDelete(record: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...record };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}

/** Settings from the panel; an absent number removes the key, so the model's default applies. */
export function settingsChanges(thread: Thread, settings: ThreadSettings): ThreadChanges {
  const info = firstAssistant(thread);
  let parameters = setOrDelete(info.model.parameters, 'temperature', settings.temperature);
  parameters = setOrDelete(parameters, 'max_tokens', settings.maxTokens);
  const modelSettings = setOrDelete(info.model.settings, 'ctx_len', settings.contextLength);
  return withFirstAssistant(thread, {
    ...info,
    instructions: settings.instructions,
    model: { ...info.model, parameters, settings: modelSettings },
  });
}
