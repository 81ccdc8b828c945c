// The sync server as a Fastify instance: auth, RxDB replication over HTTP (pull, push, a
// server-sent-events stream), health, metrics and the OpenAPI document. `buildApp` takes every
// dependency, so tests run it on real HTTP with a real store.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Logger } from 'pino';
import { AuthService } from './auth/service';
import { createAccessTokens } from './auth/tokens';
import { collectionRegistry, type ExtraCollection } from './collections';
import type { ServerEnv } from './env';
import { HttpError, type ErrorIssue } from './errors';
import { ChangeBus } from './ops/change-bus';
import { createLogger } from './ops/logger';
import { createMetrics, type ServerMetrics } from './ops/metrics';
import { noErrorReporter, type ErrorReporter } from './ops/sentry';
import { registerAuthRoutes } from './routes/auth';
import { registerOpsRoutes } from './routes/ops';
import { registerStreamRoute, type StreamRegistry } from './routes/stream';
import { registerSyncRoutes } from './routes/sync';
import type { SyncStore } from './store/types';

export interface AppOptions {
  readonly env: ServerEnv;
  readonly store: SyncStore;
  readonly logger?: Logger;
  readonly clock?: () => Date;
  /** Shared by apps in one process; by default one per app, joined to REDIS_URL when set. */
  readonly changeBus?: ChangeBus;
  /** Loosely checked collections for tests (RxDB's replication suite). */
  readonly extraCollections?: Readonly<Record<string, ExtraCollection>>;
  /** Requests per window per client address on the auth routes. */
  readonly authRateLimit?: { readonly max: number; readonly timeWindowMs: number };
  readonly heartbeatMs?: number;
  readonly errorReporter?: ErrorReporter;
  /** How long a token's device/user check is cached (ms). */
  readonly principalCacheMs?: number;
  readonly bootId?: string;
}

export interface AppContext {
  readonly store: SyncStore;
  readonly auth: AuthService;
  readonly metrics: ServerMetrics;
  readonly changes: ChangeBus;
  readonly streams: StreamRegistry;
  readonly bootId: string;
  readonly now: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    topsmile: AppContext;
  }
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Schema errors as issues a person can act on; they name fields, never echo values. */
function validationIssues(errors: readonly AjvError[], context: string): ErrorIssue[] {
  return errors.map((error) => {
    const path = (error.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const missing = error.params?.['missingProperty'];
    const field =
      typeof missing === 'string' ? (path ? `${path}.${missing}` : missing) : path || context;
    const message =
      typeof missing === 'string'
        ? `${field} is required`
        : `${field} ${error.message ?? 'is not valid'}`;
    return { field, message };
  });
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { env, store } = options;
  const now = options.clock ?? (() => new Date());
  const logger = options.logger ?? createLogger(env.logLevel);
  const metrics = createMetrics();
  const errorReporter = options.errorReporter ?? noErrorReporter;
  const ownsChangeBus = options.changeBus === undefined;
  const changes = options.changeBus ?? new ChangeBus();
  if (ownsChangeBus && env.redisUrl) {
    await changes.connectRedis(env.redisUrl, (error) =>
      logger.warn({ err: error }, 'redis connection problem'),
    );
  }
  const tokens = createAccessTokens(env.jwtSecret, env.accessTokenTtlSeconds, now);
  const auth = new AuthService({
    store,
    tokens,
    refreshTtlDays: env.refreshTokenTtlDays,
    now,
    ...(options.principalCacheMs === undefined
      ? {}
      : { principalCacheMs: options.principalCacheMs }),
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: requestIdOf,
    // Long-lived streams must not keep the process from closing.
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false, allErrors: true, removeAdditional: false } },
  });

  const streams: StreamRegistry = new Set();
  const context: AppContext = {
    store,
    auth,
    metrics,
    changes,
    streams,
    bootId: options.bootId ?? randomUUID(),
    now,
  };
  app.decorate('topsmile', context);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send(error.toBody());
    }
    if (error.validation) {
      const issues = validationIssues(error.validation, error.validationContext ?? 'body');
      return reply.status(400).send({
        error: 'bad_request',
        message: `The request ${error.validationContext ?? 'body'} is not valid: ${issues
          .map((issue) => issue.message)
          .join('; ')}.`,
        issues,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 413
          ? 'payload_too_large'
          : status === 415
            ? 'unsupported_media_type'
            : 'bad_request';
      return reply.status(status).send({ error: code, message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    errorReporter.capture(error, {
      requestId: request.id,
      route: request.routeOptions.url ?? 'unmatched',
    });
    return reply.status(500).send({
      error: 'internal',
      message: `Something went wrong on the server. Quote request id ${request.id} when reporting it.`,
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    return reply
      .status(404)
      .send({ error: 'not_found', message: `There is no ${request.method} ${path} here.` });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'TopSmile sync server',
        version: '1',
        description: 'RxDB replication over HTTP for the clinics of TopSmile Desktop.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, limit) =>
      new HttpError(429, 'rate_limited', `Too many attempts; try again in ${limit.after}.`),
  });

  const collections = collectionRegistry(options.extraCollections);
  const limit = options.authRateLimit ?? { max: 10, timeWindowMs: 60_000 };
  registerAuthRoutes(app, context, { max: limit.max, timeWindow: limit.timeWindowMs });
  registerSyncRoutes(app, context, collections);
  registerStreamRoute(app, context, { heartbeatMs: options.heartbeatMs ?? 15_000 });
  registerOpsRoutes(app, context);

  app.addHook('preClose', async () => {
    for (const stream of streams) stream.close('server shutting down');
  });
  app.addHook('onClose', async () => {
    if (ownsChangeBus) await changes.close();
    await errorReporter.flush();
  });
  return app;
}
