/**
 * One handler per message type, on both sides of the chat view (the host's controller and the
 * view's store): a message type added to the protocol without a handler does not compile.
 */
export type MessageHandlers<M extends { type: string }, R = void> = {
  [K in M['type']]: (message: Extract<M, { type: K }>) => R;
};

/** Calls the handler of the message's type. */
export function dispatch<M extends { type: string }, R>(handlers: MessageHandlers<M, R>, message: M): R {
  const handler = handlers[message.type as M['type']] as (message: M) => R;
  return handler(message);
}
