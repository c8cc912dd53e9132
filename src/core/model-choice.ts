/** The engine a model runs on when nothing names one: llama.cpp, on this machine. */
export const DEFAULT_ENGINE = 'llamacpp';

/** A thread's or assistant's model id meaning "the model the user chose for chat". */
export const ANY_MODEL = '*';

/** Jan's own assistant: always there, the one a thread without an assistant entry uses. */
export const DEFAULT_ASSISTANT_ID = 'jan';
export const DEFAULT_ASSISTANT_NAME = 'Jan';

/** A model and the engine that runs it: what every inference request starts from. */
export interface ModelChoice {
  id: string;
  engine: string;
}

/** What a model is chosen for; each purpose has its own setting. */
export type ModelPurpose = 'chat' | 'completion';

/** True for an id that names one model, not "any" and not empty. */
export function isSpecificModel(id: string | undefined | null): id is string {
  return typeof id === 'string' && id !== '' && id !== ANY_MODEL;
}
