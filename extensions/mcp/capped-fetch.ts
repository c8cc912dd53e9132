/**
 * The `fetch` the HTTP transports use: a response body (one JSON-RPC answer) or each event of
 * an event stream is held to a byte limit; one over it is replaced by an error answer for the
 * same request (oversize.ts), so a 50 MB tool result fails that call and nothing else.
 */
import { formatSize, OversizeTracker } from './oversize';

type Fetch = typeof fetch;

/** A whole body: buffered up to the limit (the SDK parses it whole anyway), else replaced. */
function bodyCap(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let parts: Buffer[] = [];
  let bytes = 0;
  let oversize: OversizeTracker | undefined;
  return new TransformStream({
    transform(chunk) {
      const piece = Buffer.from(chunk);
      if (!oversize && bytes + piece.length > limit) {
        oversize = new OversizeTracker();
        for (const part of parts) oversize.push(part);
        parts = [];
      }
      if (oversize) oversize.push(piece);
      else {
        parts.push(piece);
        bytes += piece.length;
      }
    },
    flush(controller) {
      if (!oversize) return controller.enqueue(Buffer.concat(parts));
      const replacement = oversize.replacement(limit);
      if (!replacement) throw new Error(`The server's answer was over ${formatSize(limit)}; it was dropped.`);
      controller.enqueue(Buffer.from(JSON.stringify(replacement)));
    },
  });
}

/** An event stream: each event (lines up to a blank one) passes whole, or is replaced when over the limit. */
function eventCap(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let event: Buffer[] = [];
  let eventBytes = 0;
  /** The current line already has text from an earlier chunk (so a newline now does not end the event). */
  let lineStarted = false;
  let oversize: OversizeTracker | undefined;
  const add = (piece: Buffer): void => {
    if (!oversize && eventBytes + piece.length > limit) {
      oversize = new OversizeTracker();
      for (const part of event) oversize.push(part);
      event = [];
    }
    if (oversize) oversize.push(piece);
    else {
      event.push(piece);
      eventBytes += piece.length;
    }
  };
  const endEvent = (controller: TransformStreamDefaultController<Uint8Array>): void => {
    if (oversize) {
      const replacement = oversize.replacement(limit);
      if (replacement) controller.enqueue(Buffer.from(`event: message\ndata: ${JSON.stringify(replacement)}\n\n`));
    } else if (eventBytes > 0) controller.enqueue(Buffer.concat([...event, Buffer.from('\n')]));
    event = [];
    eventBytes = 0;
    oversize = undefined;
  };
  return new TransformStream({
    transform(chunk, controller) {
      const bytes = Buffer.from(chunk);
      let start = 0;
      for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, start)) {
        const content = bytes.subarray(start, newline).toString('latin1').replace(/\r$/, '');
        if (!lineStarted && content === '') endEvent(controller);
        else add(bytes.subarray(start, newline + 1));
        lineStarted = false;
        start = newline + 1;
      }
      // Part of a line counts toward its event at once: one endless line cannot grow without bound.
      if (start < bytes.length) {
        const rest = bytes.subarray(start);
        add(rest);
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
