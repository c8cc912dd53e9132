export { JanAssistantsExtension } from './assistants-extension';
export type { AssistantsStoreOptions } from './assistants-extension';
export { assistantIdFrom, defaultAssistant, parseAssistant } from './assistant-file';
export { ScopedAssistantsExtension, UNTRUSTED_ASSISTANT_REASON } from './scoped-assistants';
export type { ScopedAssistantsOptions } from './scoped-assistants';
