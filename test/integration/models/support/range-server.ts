import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ServedRequest {
  method: string;
  path: string;
  /** First byte asked for by a Range header; undefined for a plain GET or HEAD. */
  rangeStart?: number;
  bytesSent: number;
}

export interface RangeServerBehaviour {
  /** Cut the connection of the next ranged GET after this many body bytes (once). */
  dropOnceAfter?: number;
  /** Send this many body bytes of every GET, then hold the response open (never end it). */
  stallAfter?: number;
  /** Hold every ranged GET that starts at or after this byte: headers, then nothing. */
  holdRangesFrom?: number;
  /** Answer every request with this status and no body. */
  status?: number;
  /** Answer a request for one of these paths (query ignored) with a 302 to the given location. */
  redirects?: Record<string, string>;
  /** Send the whole body without Content-Length or Accept-Ranges (chunked), as some servers do. */
  noContentLength?: boolean;
  /** Hold every body until this promise settles (headers go out first). */
  gate?: Promise<void>;
  /** Accept the connection and read the request, then never answer. */
  silent?: boolean;
  /**
   * Answer every GET and HEAD with this body as `Content-Encoding: gzip`, declaring its encoded
   * length (a compression bomb when it inflates far past it).
   */
  gzipped?: Buffer;
}

/**
 * A real HTTP server on 127.0.0.1 serving one file at every path, with Range support (206) the
 * way Hugging Face's CDN does, plus faults a download must survive: a dropped connection, a
 * stalled body. `behaviour` can be changed between downloads.
 */
export class RangeServer {
  readonly requests: ServedRequest[] = [];
  behaviour: RangeServerBehaviour = {};
  private readonly sockets = new Set<Socket>();
  private readonly server: http.Server;

  private constructor(private readonly body: Buffer) {
    this.server = http.createServer((request, response) => this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(body: Buffer): Promise<RangeServer> {
    const server = new RangeServer(body);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  url(pathname: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${pathname}`;
  }

  /**
   * Body bytes sent to ranged requests since `since` (an index into `requests`). The downloader's
   * first plain GET only reads the headers of its answer, so it is not counted.
   */
  rangedBytesServed(since = 0): number {
    return this.requests
      .slice(since)
      .reduce((sum, request) => sum + (request.rangeStart === undefined ? 0 : request.bytesSent), 0);
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    const end = match && match[2] ? Math.min(Number(match[2]), this.body.length - 1) : this.body.length - 1;
    const record: ServedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      rangeStart: match ? start : undefined,
      bytesSent: 0,
    };
    this.requests.push(record);
    const behaviour = this.behaviour;

    if (behaviour.silent) return;
    if (behaviour.status) {
      response.writeHead(behaviour.status, { 'content-length': 0 });
      response.end();
      return;
    }
    const location = behaviour.redirects?.[record.path.split('?')[0]!];
    if (location) {
      response.writeHead(302, { location, 'content-length': 0 });
      response.end();
      return;
    }
    if (behaviour.gzipped) {
      const length = behaviour.gzipped.length;
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-encoding': 'gzip',
        'content-length': length,
      });
      if (request.method === 'HEAD') return void response.end();
      record.bytesSent += length;
      response.end(behaviour.gzipped);
      return;
    }
    if (behaviour.noContentLength) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      if (request.method === 'HEAD') return void response.end();
      record.bytesSent += this.body.length;
      response.end(this.body);
      return;
    }
    const headers: http.OutgoingHttpHeaders = {
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      'content-length': end - start + 1,
    };
    if (match) headers['content-range'] = `bytes ${start}-${end}/${this.body.length}`;
    response.writeHead(match ? 206 : 200, headers);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    if (behaviour.gate)
      void behaviour.gate.then(() => this.sendBody(response, record, behaviour, match !== null, start, end));
    else this.sendBody(response, record, behaviour, match !== null, start, end);
  }

  private sendBody(
    response: http.ServerResponse,
    record: ServedRequest,
    behaviour: RangeServerBehaviour,
    ranged: boolean,
    start: number,
    end: number,
  ): void {
    const slice = this.body.subarray(start, end + 1);
    const send = (bytes: Buffer) => {
      record.bytesSent += bytes.length;
      response.write(bytes);
    };

    if (ranged && behaviour.holdRangesFrom !== undefined && start >= behaviour.holdRangesFrom) return;
    if (ranged && behaviour.dropOnceAfter !== undefined && slice.length > behaviour.dropOnceAfter) {
      const cut = behaviour.dropOnceAfter;
      this.behaviour = { ...behaviour, dropOnceAfter: undefined };
      send(slice.subarray(0, cut));
      setTimeout(() => response.socket?.destroy(), 20);
      return;
    }
    if (behaviour.stallAfter !== undefined && slice.length > behaviour.stallAfter) {
      send(slice.subarray(0, behaviour.stallAfter));
      return;
    }
    record.bytesSent += slice.length;
    response.end(slice);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
