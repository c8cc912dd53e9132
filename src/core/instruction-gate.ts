/**
 * The one gate for the instructions a thread sends to the model (docs/ARCHITECTURE.md,
 * "Assistants and context"). A workspace assistant is refused in a restricted workspace
 * (`blockedReason`); so is a thread whose thread.json carries instructions of its own: that file
 * is workspace content too, and a repository can ship it. Its copy is used there only when it
 * says what the trusted assistant of that id (the user's, or the built-in "Jan") says.
 */
import type { AssistantExtension } from './extension-types';
import { StoreError } from './store';
import type { Thread } from './types';

export const UNTRUSTED_THREAD_INSTRUCTIONS =
  'This workspace is restricted: this thread’s instructions are stored in the workspace (.jan/threads) and could come from the repository, so they are not sent to the model until you trust the workspace.';

const refusal = (reason: string) =>
  new StoreError('NOT_ALLOWED', `${reason} Pick another assistant or start a new chat.`);

/** The thread's instructions as the model may see them; a NOT_ALLOWED StoreError when they may not be used here. */
export async function instructionsFor(thread: Thread, assistants?: AssistantExtension): Promise<string> {
  const info = thread.assistants[0];
  if (!info) return '';
  const blocked = await assistants?.blockedReason(info.assistant_id);
  if (blocked) throw refusal(blocked);
  const copy = info.instructions;
  if (copy !== undefined && !assistants?.isRestricted()) return copy;
  const trusted = (await assistants?.getAssistant(info.assistant_id))?.instructions;
  if (copy === undefined || !copy.trim() || copy === trusted) return copy ?? trusted ?? '';
  throw refusal(UNTRUSTED_THREAD_INSTRUCTIONS);
}
