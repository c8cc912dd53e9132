import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { clientSignal } from '../../../src/node/server/client-signal';

/**
 * The client signal over a real socket: the client sends a whole request and leaves at once, and
 * the handler asks for the signal only after the server saw it leave (the order that left a
 * generation running for nobody and the model's queue stuck).
 */
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<number> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends a complete POST, then closes the socket without reading the answer. */
function sendAndLeave(port: number): void {
  const socket = connect(port, '127.0.0.1', () => {
    const body = '{"stream":true}';
    socket.end(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  });
  socket.on('error', () => undefined);
}

describe('the client signal', () => {
  it('is already aborted when asked for after the client left', async () => {
    const asked = new Promise<AbortSignal>((resolve) => {
      void serve((_request, response) => response.once('close', () => resolve(clientSignal(response)))).then(
        sendAndLeave,
      );
    });
    expect((await asked).aborted).toBe(true);
  });

  it('aborts when the client leaves after it was asked for, and is the same signal when asked again', async () => {
    const signals = new Promise<[AbortSignal, AbortSignal]>((resolve) => {
      void serve((_request, response) => {
        const early = clientSignal(response);
        early.addEventListener('abort', () => resolve([early, clientSignal(response)]), { once: true });
      }).then(sendAndLeave);
    });
    const [early, again] = await signals;
    expect(early.aborted).toBe(true);
    expect(again).toBe(early);
  });

  it('never aborts for a response that was sent whole', async () => {
    let closed!: Promise<AbortSignal>;
    const port = await serve((_request, response) => {
      const signal = clientSignal(response);
      closed = new Promise((resolve) => response.once('close', () => resolve(signal)));
      response.end('ok');
    });
    const answer = await fetch(`http://127.0.0.1:${port}/`);
    expect(await answer.text()).toBe('ok');
    expect((await closed).aborted).toBe(false);
  });
});
