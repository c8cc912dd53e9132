import cors from '@fastify/cors';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { InferenceService, Logger } from '@jan/core';
import { keyChecker } from './auth';
import { clientSignal } from './client-signal';
import type { ApiContext } from './context';
import { ApiError, toApiError } from './errors';
import { hostChecker, hostHeaders } from './host-check';
import { ModelQueue } from './model-queue';
import { resolveServerOptions } from './options';
import type { ResolvedServerOptions, ServerOptions } from './options';
import { registerRequestLog } from './request-log';
import { registerChatRoute } from './routes/chat';
import { registerCompletionRoute } from './routes/completions';
import { registerEmbeddingRoute } from './routes/embeddings';
import { registerHealthRoute } from './routes/health';
import { registerModelRoutes } from './routes/models';

export interface ApiServerDeps {
  inference: InferenceService;
  logger: Logger;
}

export interface ApiApp {
  app: FastifyInstance;
  queue: ModelQueue;
  options: ResolvedServerOptions;
}

/**
 * The OpenAI-compatible HTTP API over InferenceService (not listening yet; `start.ts` binds it).
 * Every request passes, in order: the Host check, the key (all but `/health` and CORS
 * preflights), the body limit, the body schema, then the model's queue.
 */
export async function buildApiApp(deps: ApiServerDeps, serverOptions: ServerOptions): Promise<ApiApp> {
  const options = resolveServerOptions(serverOptions);
  const app = Fastify({ bodyLimit: options.bodyLimit, logger: false, forceCloseConnections: true });
  const queue = new ModelQueue(options.concurrencyPerModel, options.queuePerModel);
  const context: ApiContext = { inference: deps.inference, logger: deps.logger, options, queue };
  const checkHost = hostChecker(options.allowedHosts);
  const checkKey = keyChecker(options.apiKey);
  const corsOn = options.corsOrigins.length > 0;

  registerRequestLog(app, deps.logger);
  app.addHook('onRequest', async (request, reply) => {
    // The request's life-cycle starts here: a client leaving from now on aborts its work.
    clientSignal(reply.raw);
    checkHost(hostHeaders(request.raw.rawHeaders));
    const preflight = corsOn && request.method === 'OPTIONS';
    if (!preflight && request.url.split('?')[0] !== '/health') checkKey(request.headers);
  });
  if (corsOn) {
    // Only the listed origins, matched exactly; never a reflected origin, never credentials.
    await app.register(cors, {
      origin: options.corsOrigins,
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'x-api-key'],
      maxAge: 600,
    });
  }

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const failure = error instanceof ApiError || !isClientError(error) ? toApiError(error) : frameworkError(error);
    void reply.status(failure.status).headers(failure.headers).send(failure.body());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(
        new ApiError(
          404,
          `No route ${request.method} ${request.url.split('?')[0]}.`,
          'invalid_request_error',
          'not_found',
        ).body(),
      );
  });

  registerHealthRoute(app);
  await app.register(
    async (scope) => {
      registerModelRoutes(scope, context);
      registerChatRoute(scope, context);
      registerCompletionRoute(scope, context);
      registerEmbeddingRoute(scope, context);
    },
    { prefix: options.prefix },
  );
  return { app, queue, options };
}

function isClientError(error: FastifyError): boolean {
  return typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500;
}

/** Fastify's own refusals (body too large, bad JSON, wrong content type) in OpenAI's shape. */
function frameworkError(error: FastifyError): ApiError {
  const status = error.statusCode!;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ApiError(
      413,
      'The request body is larger than the server accepts.',
      'invalid_request_error',
      'request_too_large',
    );
  }
  return new ApiError(status, error.message, 'invalid_request_error', error.code?.toLowerCase() ?? null);
}
