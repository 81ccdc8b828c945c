// GET /v1/sync/stream: one server-sent-events stream per workstation connection.
//   event: hello   {bootId, time, seq}   on connect (restart and clock-skew detection)
//   event: change  {collection, seq}     whenever a push on any instance wrote to the clinic
//   event: resync  {reason, floor}       the declared checkpoint is below the history floor
//   event: goodbye {message}             the server closes the stream (shutdown, revoked device)
//   `: heartbeat` comments keep proxies from closing an idle stream.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { AppContext } from '../app';
import { HttpError } from '../errors';

export interface OpenStream {
  close(reason: string): void;
}
export type StreamRegistry = Set<OpenStream>;

const Query = Type.Object({
  checkpoint: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
});
type Query = Type.Static<typeof Query>;

export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function registerStreamRoute(
  app: FastifyInstance,
  context: AppContext,
  options: { heartbeatMs: number },
): void {
  app.get<{ Querystring: Query }>(
    '/v1/sync/stream',
    {
      schema: {
        tags: ['sync'],
        summary: 'Server-sent events: which collections of the clinic changed',
        security: [{ bearer: [] }],
        querystring: Query,
      },
    },
    async (request, reply) => {
      const principal = await context.auth.authenticate(request.headers.authorization);
      const declared = Number(request.query.checkpoint ?? '0');
      const [floor, seq] = await Promise.all([
        context.store.historyFloor(principal.clinicId),
        context.store.currentSeq(principal.clinicId),
      ]);

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      const write = (text: string): void => {
        if (!raw.writableEnded) raw.write(text);
      };
      write(sseFrame('hello', { bootId: context.bootId, time: context.now().toISOString(), seq }));
      if (declared > 0 && declared < floor) {
        write(sseFrame('resync', { reason: 'history', floor }));
      }

      const unsubscribe = context.changes.subscribe(principal.clinicId, (event) =>
        write(sseFrame('change', { collection: event.collection, seq: event.seq })),
      );
      const heartbeat = setInterval(() => {
        write(': heartbeat\n\n');
        context.auth.assertStillAllowed(principal).catch((error: unknown) => {
          stream.close(error instanceof HttpError ? error.message : 'access ended');
        });
      }, options.heartbeatMs);
      heartbeat.unref();

      let open = true;
      const cleanup = (): void => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        context.streams.delete(stream);
        context.metrics.openStreams.dec();
      };
      const stream: OpenStream = {
        close(reason) {
          write(sseFrame('goodbye', { message: reason }));
          cleanup();
          raw.end();
        },
      };
      context.streams.add(stream);
      context.metrics.openStreams.inc();
      request.raw.on('close', cleanup);
      raw.on('close', cleanup);
      request.log.info({ event: 'stream_open' }, 'stream opened');
    },
  );
}
