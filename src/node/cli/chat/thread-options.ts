import { firstAssistant, withFirstAssistant } from '@jan/core';
import type { Thread, ThreadChanges } from '@jan/core';

/** What `chat --system/--max-tokens/--temperature` set on a thread (as the editor's thread settings do). */
export interface ThreadOptions {
  system?: string;
  maxTokens?: number;
  temperature?: number;
}

export function hasThreadOptions(options: ThreadOptions): boolean {
  return options.system !== undefined || options.maxTokens !== undefined || options.temperature !== undefined;
}

/**
 * The thread.json change for the given options; the ones not given keep the thread's values. They
 * are stored with the thread, so the editor shows the thread with the settings it was run with.
 */
export function threadOptionChanges(thread: Thread, options: ThreadOptions): ThreadChanges {
  const info = firstAssistant(thread);
  const parameters = { ...info.model.parameters };
  if (options.maxTokens !== undefined) parameters.max_tokens = options.maxTokens;
  if (options.temperature !== undefined) parameters.temperature = options.temperature;
  return withFirstAssistant(thread, {
    ...info,
    ...(options.system !== undefined ? { instructions: options.system } : {}),
    model: { ...info.model, parameters },
  });
}
