import { parentPort } from 'node:worker_threads';
import type { WorkerPort } from './server';

/** The worker's side of whichever transport started it: a worker thread or a forked child. */
export function connectToHost(): WorkerPort {
  const port = parentPort;
  if (port) {
    return { send: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', listener) };
  }
  const send = process.send?.bind(process);
  if (send) {
    // When the host goes away (even without a clean stop), the worker must not linger.
    process.on('disconnect', () => process.exit(0));
    return { send: (message) => void send(message), onMessage: (listener) => process.on('message', listener) };
  }
  throw new Error('The llama.cpp worker must be started by the engine (as a forked child or a worker thread).');
}
