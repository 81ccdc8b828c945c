// Child process of the storage benchmark: opens an existing database file in a fresh process
// (no SQLite page cache, no JIT warm-up) and times open + first indexed screen query.
import { performance } from 'node:perf_hooks';
import { getRxStorageSQLite } from '../../shared/storage';
import { createTestInstance, prepare } from '../../shared/storage/test-support/storage-helpers';
import type { AppointmentTestDoc } from '../../shared/storage/test-support/test-schemas';
import { appointmentTestSchema } from '../../shared/storage/test-support/test-schemas';

const [directory, databaseName] = process.argv.slice(2) as [string, string];

const started = performance.now();
const instance = await createTestInstance<AppointmentTestDoc>(
  getRxStorageSQLite({ directory }),
  appointmentTestSchema,
  { databaseName, collectionName: 'appointments' },
);
const opened = performance.now();
const result = await instance.query(
  prepare(instance.schema, {
    selector: {
      _deleted: { $eq: false },
      providerId: { $eq: 'provider-3' },
      start: { $gte: '2025-06-02T00:00:00.000Z', $lt: '2025-06-03T00:00:00.000Z' },
    },
    sort: [{ start: 'asc' }],
  }),
);
const queried = performance.now();
await instance.close();
process.stdout.write(
  JSON.stringify({
    openMs: opened - started,
    firstQueryMs: queried - opened,
    totalMs: queried - started,
    rows: result.documents.length,
  }) + '\n',
);
