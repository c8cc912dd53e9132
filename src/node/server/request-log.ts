import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '@jan/core';

interface RequestNote {
  model?: string;
  /** Only when the user turned prompt logging on. */
  prompt?: string;
  completionTokens?: number;
  /** The status of a streamed reply, whose HTTP status was 200 before it ended. */
  status?: number;
  error?: string;
}

const notes = new WeakMap<FastifyRequest, RequestNote>();

/** Adds what a route learned (model, tokens, outcome) to the request's log line. */
export function noteRequest(request: FastifyRequest, note: RequestNote): void {
  notes.set(request, { ...notes.get(request), ...note });
}

/**
 * One log line per request when its response ends (streamed ones too): method, path, status,
 * model, tokens and time. Never the key, and never the prompt unless the user turned that on.
 */
export function registerRequestLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onRequest', (request, reply, done) => {
    const started = performance.now();
    reply.raw.once('close', () => {
      const note = notes.get(request) ?? {};
      const left = !reply.raw.writableFinished;
      // 499, as for a stream its client left: the status line of an answer never sent says nothing.
      const status = note.status ?? (left ? 499 : reply.raw.statusCode);
      const parts = [
        `${request.method} ${request.url.split('?')[0]} ${status}`,
        `${Math.round(performance.now() - started)} ms`,
      ];
      if (left) parts.push('client left');
      if (note.model) parts.push(`model ${note.model}`);
      if (note.completionTokens !== undefined) parts.push(`${note.completionTokens} tokens`);
      if (note.error) parts.push(note.error);
      if (note.prompt !== undefined) parts.push(`prompt: ${JSON.stringify(note.prompt)}`);
      const line = `API ${parts.join(', ')}`;
      if (status >= 500) logger.warn(line);
      else logger.info(line);
    });
    done();
  });
}
