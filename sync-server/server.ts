// Starts the whole server from a validated environment: logger, Sentry, store, app, listening
// socket; and stops it in the right order (stop accepting, finish in-flight requests, close
// streams, close the store).
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type AppOptions } from './app';
import type { ServerEnv } from './env';
import { createLogger } from './ops/logger';
import { initSentry } from './ops/sentry';
import { openMongoStore } from './store/mongo-store';
import { openSqliteStore } from './store/sqlite-store';
import type { SyncStore } from './store/types';

export const SQLITE_FILE_NAME = 'sync.sqlite';
export const MONGODB_DATABASE = 'topsmile_sync';

/** The store the environment selects: MongoDB when MONGODB_URL is set, else SQLite in DATA_DIR. */
export function openStoreFromEnv(env: ServerEnv): Promise<SyncStore> {
  if (env.mongodbUrl) {
    return openMongoStore({
      url: env.mongodbUrl,
      dbName: MONGODB_DATABASE,
      maxPoolSize: env.mongodbPoolMax,
      minPoolSize: env.mongodbPoolMin,
      serverSelectionTimeoutMs: env.mongodbTimeoutMs,
      connectTimeoutMs: env.mongodbTimeoutMs,
    });
  }
  return openSqliteStore({ file: join(env.dataDir, SQLITE_FILE_NAME) });
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: SyncStore;
  readonly url: string;
  readonly logger: Logger;
  shutdown(reason: string): Promise<void>;
}

export async function startServer(
  env: ServerEnv,
  options: Partial<Omit<AppOptions, 'env' | 'store'>> = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(env.logLevel);
  const errorReporter =
    options.errorReporter ?? (env.sentryDsn ? initSentry(env.sentryDsn, env.nodeEnv) : undefined);
  const store = await openStoreFromEnv(env);
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
        await store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
