// Child process of durability.test.ts: writes batches of documents forever and prints the ids of
// each batch only after bulkWrite resolved (acknowledged). The test kills it with SIGKILL.
import { getRxStorageSQLite } from '../index';
import type { SQLiteSynchronousLevel } from '../index';
import { asWritten, createTestInstance } from './storage-helpers';
import type { PatientTestDoc } from './test-schemas';
import { patientTestSchema } from './test-schemas';

const [directory, synchronous] = process.argv.slice(2) as [string, SQLiteSynchronousLevel];
const BATCH_SIZE = 25;

const storage = getRxStorageSQLite({ directory, synchronous });
const instance = await createTestInstance<PatientTestDoc>(storage, patientTestSchema, {
  databaseName: 'durability',
  collectionName: 'patients',
});

for (let batch = 0; ; batch++) {
  const ids = Array.from({ length: BATCH_SIZE }, (_, i) => `b${batch}-${i}`);
  const result = await instance.bulkWrite(
    ids.map((id) => ({
      document: asWritten<PatientTestDoc>({
        id,
        nameKey: 'n' + id,
        phoneKey: '0',
        birthDate: '2000-01-01',
        displayName: 'x'.repeat(500),
        age: 1,
        balance: 0,
        tags: [],
      }),
    })),
    'kill-writer',
  );
  if (result.error.length > 0) throw new Error('unexpected write error');
  process.stdout.write(`ack ${ids.join(',')}\n`);
}
