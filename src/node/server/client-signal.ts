import type { ServerResponse } from 'node:http';

const signals = new WeakMap<ServerResponse, AbortSignal>();

/**
 * Aborts when the client goes away before its response is complete, so a generation nobody will
 * read stops (and a request waiting in the queue leaves it). One signal per response, whenever it
 * is asked for: a client that closed the socket right after sending gets an aborted signal even
 * when the handler asks only after the close (app.ts also asks as the request arrives).
 */
export function clientSignal(response: ServerResponse): AbortSignal {
  let signal = signals.get(response);
  if (!signal) {
    const controller = new AbortController();
    const closed = () => {
      if (!response.writableFinished) controller.abort();
    };
    if (response.closed) closed();
    else response.once('close', closed);
    signal = controller.signal;
    signals.set(response, signal);
  }
  return signal;
}
