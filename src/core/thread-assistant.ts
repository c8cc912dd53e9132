/** The first assistant entry of a thread.json and the changes that pick a model or an assistant. */
import { assistantParameters } from './assistant-config';
import {
  ANY_MODEL,
  DEFAULT_ASSISTANT_ID,
  DEFAULT_ASSISTANT_NAME,
  DEFAULT_ENGINE,
  isSpecificModel,
  type ModelChoice,
} from './model-choice';
import type { Assistant, Thread, ThreadAssistantInfo } from './types';
import type { ThreadChanges } from './extension-types';

/** The thread's assistant entry; a thread with none (a hand-edited file) gets Jan's default. */
export function firstAssistant(thread: Thread): ThreadAssistantInfo {
  return (
    thread.assistants[0] ?? {
      assistant_id: DEFAULT_ASSISTANT_ID,
      assistant_name: DEFAULT_ASSISTANT_NAME,
      model: { id: ANY_MODEL, settings: {}, parameters: {}, engine: DEFAULT_ENGINE },
    }
  );
}

/** The model the thread names with its engine, or undefined when it follows the user's chat model. */
export function threadModel(thread: Thread): ModelChoice | undefined {
  const model = thread.assistants[0]?.model;
  return isSpecificModel(model?.id) ? { id: model.id, engine: model.engine || DEFAULT_ENGINE } : undefined;
}

/** The change that replaces the first assistant entry and keeps the others. */
export function withFirstAssistant(thread: Thread, info: ThreadAssistantInfo): ThreadChanges {
  return { assistants: [info, ...thread.assistants.slice(1)] };
}

/** The model an assistant pins, or undefined when it follows the user's chat model. */
export function pinnedModel(assistant: Assistant): string | undefined {
  return isSpecificModel(assistant.model) ? assistant.model : undefined;
}

/** The assistant entry of a new thread, in Jan's shape (old and 0.6 field names). */
export function newThreadAssistant(assistant: Assistant, model: ModelChoice | undefined): ThreadAssistantInfo {
  return {
    assistant_id: assistant.id,
    assistant_name: assistant.name,
    id: assistant.id,
    name: assistant.name,
    model: {
      id: model?.id ?? ANY_MODEL,
      settings: {},
      parameters: assistantParameters(assistant),
      engine: model?.engine || DEFAULT_ENGINE,
    },
    instructions: assistant.instructions,
  };
}

/** A model chosen for the thread; null follows the user's chat model (`*`, as Jan writes). */
export function modelChanges(thread: Thread, model: ModelChoice | null): ThreadChanges {
  const info = firstAssistant(thread);
  return withFirstAssistant(thread, {
    ...info,
    model: { ...info.model, id: model?.id ?? ANY_MODEL, engine: model?.engine || info.model.engine || DEFAULT_ENGINE },
  });
}

/** Another assistant: its name, instructions, sampling parameters and (when it pins one) its model. */
export function assistantChanges(thread: Thread, assistant: Assistant, pinned: ModelChoice | undefined): ThreadChanges {
  const info = firstAssistant(thread);
  return withFirstAssistant(thread, {
    ...info,
    assistant_id: assistant.id,
    assistant_name: assistant.name,
    id: assistant.id,
    name: assistant.name,
    instructions: assistant.instructions,
    model: {
      ...info.model,
      ...(pinned ? { id: pinned.id, engine: pinned.engine } : {}),
      parameters: { ...info.model.parameters, ...assistantParameters(assistant) },
    },
  });
}
