export { JanConversationalExtension } from './conversational-extension';
export type { ConversationalStoreOptions } from './conversational-extension';
export { parseThread, toStoredThread } from './thread-file';
export { parseMessage, toStoredMessage } from './message-line';
