export { JanConversationalExtension } from './conversational-extension';
export type { ConversationalStoreOptions } from './conversational-extension';
export { DEFAULT_ENGINE, DEFAULT_THREAD_TITLE, parseThread, toStoredThread } from './thread-file';
export { parseMessage, toStoredMessage } from './message-line';
