import type { FastifyInstance } from 'fastify';

/** `GET /health`: no key needed (it says nothing but that the server answers), Host still checked. */
export function registerHealthRoute(app: FastifyInstance): void {
  app.get('/health', async () => ({ status: 'ok' }));
}
