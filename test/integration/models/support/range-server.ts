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
    return this.requests.slice(since).reduce((sum, request) => sum + (request.rangeStart === undefined ? 0 : request.bytesSent), 0);
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    const end = match && match[2] ? Math.min(Number(match[2]), this.body.length - 1) : this.body.length - 1;
    const record: ServedRequest = { method: request.method ?? 'GET', path: request.url ?? '/', rangeStart: match ? start : undefined, bytesSent: 0 };
    this.requests.push(record);
    const behaviour = this.behaviour;

    if (behaviour.status) {
      response.writeHead(behaviour.status, { 'content-length': 0 });
      response.end();
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
    const slice = this.body.subarray(start, end + 1);
    const send = (bytes: Buffer) => {
      record.bytesSent += bytes.length;
      response.write(bytes);
    };

    if (match && behaviour.holdRangesFrom !== undefined && start >= behaviour.holdRangesFrom) return;
    if (match && behaviour.dropOnceAfter !== undefined && slice.length > behaviour.dropOnceAfter) {
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
