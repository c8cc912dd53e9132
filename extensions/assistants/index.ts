export { JanAssistantsExtension } from './assistants-extension';
export type { AssistantsStoreOptions } from './assistants-extension';
export { DEFAULT_ASSISTANT_ID, assistantIdFrom, defaultAssistant, parseAssistant } from './assistant-file';
