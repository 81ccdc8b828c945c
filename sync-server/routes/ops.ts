// Health, readiness, Prometheus metrics and the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';

export function registerOpsRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up' } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['ops'], summary: 'The store is reachable' } },
    async (request, reply) => {
      try {
        await context.store.ping();
        return { status: 'ready', store: context.store.kind };
      } catch (error) {
        request.log.warn({ err: error }, 'store ping failed');
        return reply.status(503).send({
          error: 'not_ready',
          message: `The ${context.store.kind} store cannot be reached.`,
        });
      }
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['ops'], summary: 'Prometheus metrics', hide: true } },
    async (_request, reply) => {
      const body = await context.metrics.registry.metrics();
      return reply.type(context.metrics.registry.contentType).send(body);
    },
  );

  app.get(
    '/docs/openapi.json',
    { schema: { tags: ['ops'], summary: 'This document', hide: true } },
    async () => app.swagger(),
  );
}
