// Starts the whole server from a validated environment: logger, Sentry, store, app, listening
// socket, scheduled maintenance; and stops it in the right order (stop accepting, finish in-flight
// requests, close streams, stop maintenance, close the store).
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type AppOptions } from './app';
import { storeConfigFromEnv, type ServerEnv } from './env';
import { createLogger } from './ops/logger';
import { startMaintenance, type MaintenanceTiming } from './ops/maintenance';
import { initSentry } from './ops/sentry';
import { openStore } from './store/index';
import type { SyncStore } from './store/types';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: SyncStore;
  readonly url: string;
  readonly logger: Logger;
  shutdown(reason: string): Promise<void>;
}

export type StartServerOptions = Partial<Omit<AppOptions, 'env' | 'store'>> & {
  /** Shorter maintenance intervals for tests; the environment decides otherwise. */
  readonly maintenanceTiming?: Partial<MaintenanceTiming>;
};

export async function startServer(
  env: ServerEnv,
  { maintenanceTiming, ...options }: StartServerOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(env.logLevel);
  const errorReporter =
    options.errorReporter ??
    (env.sentryDsn ? await initSentry(env.sentryDsn, env.nodeEnv) : undefined);
  const store = await openStore(storeConfigFromEnv(env));
  let app: FastifyInstance;
  try {
    app = await buildApp({
      ...options,
      env,
      store,
      logger,
      ...(errorReporter ? { errorReporter } : {}),
    });
    await app.listen({ port: env.port, host: env.host });
  } catch (error) {
    await store.close();
    throw error;
  }
  const url = app.listeningOrigin;
  logger.info({ url, store: store.kind, redis: Boolean(env.redisUrl) }, 'sync server listening');
  const maintenance = startMaintenance({
    env,
    store,
    logger,
    ...(options.clock ? { now: options.clock } : {}),
    ...(maintenanceTiming ? { timing: maintenanceTiming } : {}),
  });
  let stopping: Promise<void> | undefined;
  return {
    app,
    store,
    url,
    logger,
    shutdown(reason) {
      stopping ??= (async () => {
        logger.info({ signal: reason }, 'shutting down');
        // app.close(): stops accepting, closes streams (preClose), waits for in-flight requests.
        await app.close();
        // Waits for a running backup or purge: the store must outlive them.
        await maintenance.stop();
        await store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
