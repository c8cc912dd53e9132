export { JanConversationalExtension } from './conversational-extension';
export type { ConversationalStoreOptions } from './conversational-extension';
export { DEFAULT_ENGINE, parseThread, toStoredThread } from './thread-file';
export { parseMessage, toStoredMessage } from './message-line';
