import type { ServerResponse } from 'node:http';

/**
 * Aborts when the client goes away before its response is complete, so a generation nobody will
 * read stops (and a request waiting in the queue leaves it).
 */
export function clientSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
