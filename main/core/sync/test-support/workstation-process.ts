// One workstation core (session, RxDB replica, sync) in its own process, driven by JSON lines on
// stdin: RxDB allows 16 collections per process, so two workstations of 10 collections each
// cannot share one. Answers {id, ok, result | error}; may also print {event, ...} lines.
import { createInterface } from 'node:readline';
import type { RxCollection } from 'rxdb';
import type { CollectionName } from '../../../../shared/domain/schemas/index';
import { withDerivedFields } from '../merge';
import { localDocuments, openWorkstation } from './index';

type Args = Record<string, unknown>;

async function main(): Promise<void> {
  const dir = process.env['STATION_DIR']!;
  const station = await openWorkstation(dir, {
    backoff: {
      baseMs: Number(process.env['BACKOFF_BASE_MS'] ?? '200'),
      capMs: Number(process.env['BACKOFF_CAP_MS'] ?? '2000'),
    },
    batchSize: Number(process.env['BATCH_SIZE'] ?? '200'),
  });
  const history: unknown[] = [];
  station.controller.status$.subscribe((status) => history.push(status));
  const collection = (name: unknown): RxCollection => {
    const db = station.db;
    if (!db) throw new Error('sync not started');
    return db[name as CollectionName] as RxCollection;
  };

  const ops: Record<string, (args: Args) => Promise<unknown>> = {
    signIn: (args) => station.session.signIn(args as never),
    session: () => Promise.resolve(station.session.get()),
    startSync: async () => {
      await station.startSync();
      return true;
    },
    insert: async (args) => (await collection(args['collection']).insert(args['doc'])).primary,
    bulkInsert: async (args) => {
      const result = await collection(args['collection']).bulkInsert(args['docs'] as never[]);
      return result.success.length;
    },
    patch: async (args) => {
      const doc = await collection(args['collection']).findOne(String(args['id'])).exec();
      await doc!.incrementalModify((current: Record<string, unknown>) =>
        withDerivedFields(String(args['collection']), {
          ...current,
          ...(args['change'] as Args),
          updatedAt: new Date().toISOString(),
        }),
      );
      return true;
    },
    count: async (args) => collection(args['collection']).count().exec(),
    /** One document as this replica holds it (local fields included). */
    get: async (args) =>
      (await collection(args['collection']).findOne(String(args['id'])).exec())?.toJSON() ?? null,
    status: () => Promise.resolve(station.controller.status()),
    resyncCount: () => Promise.resolve(station.controller.resyncCount),
    statusHistory: () => Promise.resolve(history),
    awaitInSync: async () => {
      await station.controller.awaitInSync();
      return station.controller.status();
    },
    syncNow: async () => {
      await station.controller.syncNow();
      return true;
    },
    docs: () => localDocuments(station.db!),
    conflicts: (args) =>
      Promise.resolve(
        station.conflicts.list({ includeResolved: args['includeResolved'] === true }),
      ),
    resolve: async (args) => {
      const entry = station.conflicts.get(String(args['conflictId']));
      await station.controller.resolveConflict(entry!, args['keep'] as 'mine' | 'theirs', {
        userId: station.session.get().user?.id ?? null,
      });
      return true;
    },
    close: async () => {
      await station.close();
      setImmediate(() => process.exit(0));
      return true;
    },
  };
  // Progress of pushes, for the kill -9 test: one line per document the server accepted.
  ops['watchSent'] = (args) => {
    const replication = station.controller.replicationOf(args['collection'] as CollectionName);
    replication?.sent$.subscribe(() => {
      process.stdout.write(`${JSON.stringify({ event: 'sent' })}\n`);
    });
    return Promise.resolve(Boolean(replication));
  };

  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const { id, op, args } = JSON.parse(line) as { id: number; op: string; args: Args };
    const run = ops[op];
    void (async () => {
      try {
        if (!run) throw new Error(`unknown op ${op}`);
        const result = await run(args ?? {});
        process.stdout.write(`${JSON.stringify({ id, ok: true, result: result ?? null })}\n`);
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        process.stdout.write(`${JSON.stringify({ id, ok: false, error: message })}\n`);
      }
    })();
  });
  lines.on('close', () => {
    void station.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
