import type { ServerResponse } from 'node:http';
import type { ApiErrorBody } from './errors';

/**
 * Server-sent events the way OpenAI streams them: `data: <json>` per chunk, `data: [DONE]` at the
 * end. Writes wait for the socket to drain, so a slow client slows its own generation instead of
 * filling memory.
 */
export class SseWriter {
  constructor(private readonly response: ServerResponse) {}

  open(headers: Record<string, string | number | string[] | undefined>): void {
    this.response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.response.flushHeaders();
  }

  async send(data: unknown): Promise<void> {
    if (this.response.destroyed) return;
    if (!this.response.write(`data: ${JSON.stringify(data)}\n\n`)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.response.off('drain', done);
          this.response.off('close', done);
          resolve();
        };
        this.response.on('drain', done);
        this.response.on('close', done);
      });
    }
  }

  /** An error after the stream started: the status is already sent, so it goes as an event (the openai client throws it). */
  async fail(body: ApiErrorBody): Promise<void> {
    await this.send(body);
    this.response.end();
  }

  done(): void {
    if (!this.response.destroyed) this.response.end('data: [DONE]\n\n');
  }

  /** The end of a llama-server stream, which has no `[DONE]` (its last event says `stop: true`). */
  end(): void {
    if (!this.response.destroyed) this.response.end();
  }
}
