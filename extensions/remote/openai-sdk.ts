/** The `openai` package as a module: its client and its error classes. */
export type OpenAISdk = typeof import('openai');

let loading: Promise<OpenAISdk> | undefined;

/**
 * Loads the `openai` package on the first remote request, not at activation: evaluating it takes
 * longer than the rest of activation, and most sessions never use a remote engine.
 */
export function loadSdk(): Promise<OpenAISdk> {
  loading ??= import('openai');
  return loading;
}
