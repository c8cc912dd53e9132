/**
 * The `fetch` the HTTP transports use: a response body (one JSON-RPC answer) or each event of
 * an event stream is held to a byte limit; one over it is replaced by an error answer for the
 * same request (oversize.ts), so a 50 MB tool result fails that call and nothing else.
 */
import { formatSize, OversizeTracker } from './oversize';

type Fetch = typeof fetch;

/** Pieces of one message held up to the limit; past it, only what an OversizeTracker keeps. */
class CappedMessage {
  parts: Buffer[] = [];
  bytes = 0;
  oversize: OversizeTracker | undefined;

  constructor(private readonly limit: number) {}

  add(piece: Buffer): void {
    if (!this.oversize && this.bytes + piece.length > this.limit) {
      this.oversize = new OversizeTracker();
      for (const part of this.parts) this.oversize.push(part);
      this.parts = [];
    }
    if (this.oversize) this.oversize.push(piece);
    else {
      this.parts.push(piece);
      this.bytes += piece.length;
    }
  }

  /** The error answer in place of an oversized message (undefined: no request id to answer). */
  replacement() {
    return this.oversize?.replacement(this.limit);
  }
}

/** A whole body: buffered up to the limit (the SDK parses it whole anyway), else replaced. */
function bodyCap(limit: number): TransformStream<Uint8Array, Uint8Array> {
  const message = new CappedMessage(limit);
  return new TransformStream({
    transform: (chunk) => message.add(Buffer.from(chunk)),
    flush(controller) {
      if (!message.oversize) return controller.enqueue(Buffer.concat(message.parts));
      const replacement = message.replacement();
      if (!replacement) throw new Error(`The server's answer was over ${formatSize(limit)}; it was dropped.`);
      controller.enqueue(Buffer.from(JSON.stringify(replacement)));
    },
  });
}

/** An event stream: each event (lines up to a blank one) passes whole, or is replaced when over the limit. */
function eventCap(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let event = new CappedMessage(limit);
  /** The current line already has text from an earlier chunk (so a newline now does not end the event). */
  let lineStarted = false;
  const endEvent = (controller: TransformStreamDefaultController<Uint8Array>): void => {
    const replacement = event.replacement();
    if (replacement) controller.enqueue(Buffer.from(`event: message\ndata: ${JSON.stringify(replacement)}\n\n`));
    else if (!event.oversize && event.bytes > 0) controller.enqueue(Buffer.concat([...event.parts, Buffer.from('\n')]));
    event = new CappedMessage(limit);
  };
  return new TransformStream({
    transform(chunk, controller) {
      const bytes = Buffer.from(chunk);
      let start = 0;
      for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, start)) {
        const content = bytes.subarray(start, newline).toString('latin1').replace(/\r$/, '');
        if (!lineStarted && content === '') endEvent(controller);
        else event.add(bytes.subarray(start, newline + 1));
        lineStarted = false;
        start = newline + 1;
      }
      // Part of a line counts toward its event at once: one endless line cannot grow without bound.
      if (start < bytes.length) {
        const rest = bytes.subarray(start);
        event.add(rest);
        lineStarted ||= rest.toString('latin1').replace(/\r$/, '') !== '';
      }
    },
    flush(controller) {
      endEvent(controller);
    },
  });
}

export function cappedFetch(limit: number, base: Fetch = fetch): Fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body) return response;
    const isStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    const body = response.body.pipeThrough(isStream ? eventCap(limit) : bodyCap(limit));
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
