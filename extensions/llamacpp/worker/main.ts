/**
 * Entry of the llama.cpp engine worker (bundled to dist/llamacpp-worker.mjs). It runs in a
 * forked child process (default) or a worker thread, and is the only code that loads
 * node-llama-cpp: the extension host talks to it through the RPC in ../rpc.
 */
import { connectToHost } from '../rpc/worker-port';
import { serve } from '../rpc/server';
import { createHandlers } from './runtime';

const port = connectToHost();
serve(
  port,
  createHandlers((level, message) => port.send({ type: 'log', level, message })),
);
