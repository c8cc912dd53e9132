/** The changes to a thread.json that the chat view's pickers and settings panel make. */
import type { Assistant, Thread, ThreadAssistantInfo, ThreadChanges } from '@jan/core';
import type { ThreadSettings } from '@jan/protocol';

/** Written when no engine is known: Jan lost threads when `model.engine` went missing. */
const FALLBACK_ENGINE = 'llamacpp';

function firstAssistant(thread: Thread): ThreadAssistantInfo {
  return (
    thread.assistants[0] ?? {
      assistant_id: 'jan',
      assistant_name: 'Jan',
      model: { id: '*', settings: {}, parameters: {}, engine: FALLBACK_ENGINE },
    }
  );
}

function withFirst(thread: Thread, info: ThreadAssistantInfo): ThreadChanges {
  return { assistants: [info, ...thread.assistants.slice(1)] };
}

function setOrDelete(record: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...record };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}

/** The assistant entry of a new thread, in Jan's shape (old and 0.6 field names). */
export function newThreadAssistant(assistant: Assistant, model: { id: string; engine: string } | undefined): ThreadAssistantInfo {
  return {
    assistant_id: assistant.id,
    assistant_name: assistant.name,
    id: assistant.id,
    name: assistant.name,
    model: { id: model?.id ?? '*', settings: {}, parameters: {}, engine: model?.engine || FALLBACK_ENGINE },
    instructions: assistant.instructions,
  };
}

/** Settings from the panel; an absent number removes the key, so the model's default applies. */
export function settingsChanges(thread: Thread, settings: ThreadSettings): ThreadChanges {
  const info = firstAssistant(thread);
  let parameters = setOrDelete(info.model.parameters, 'temperature', settings.temperature);
  parameters = setOrDelete(parameters, 'max_tokens', settings.maxTokens);
  const modelSettings = setOrDelete(info.model.settings, 'ctx_len', settings.contextLength);
  return withFirst(thread, {
    ...info,
    instructions: settings.instructions,
    model: { ...info.model, parameters, settings: modelSettings },
  });
}

/** A model chosen in the picker; null follows the user's default chat model (`*`, as Jan writes). */
export function modelChanges(thread: Thread, model: { id: string; engine: string } | null): ThreadChanges {
  const info = firstAssistant(thread);
  return withFirst(thread, {
    ...info,
    model: { ...info.model, id: model?.id ?? '*', engine: model?.engine || info.model.engine || FALLBACK_ENGINE },
  });
}

/** Another assistant: its name, instructions and (when it names one) its model. */
export function assistantChanges(thread: Thread, assistant: Assistant, engineOf: (modelId: string) => string | undefined): ThreadChanges {
  const info = firstAssistant(thread);
  const pinned = assistant.model && assistant.model !== '*' ? assistant.model : undefined;
  return withFirst(thread, {
    ...info,
    assistant_id: assistant.id,
    assistant_name: assistant.name,
    id: assistant.id,
    name: assistant.name,
    instructions: assistant.instructions,
    model: pinned ? { ...info.model, id: pinned, engine: engineOf(pinned) ?? info.model.engine } : info.model,
  });
}
