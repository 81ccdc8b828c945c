// The clinic's screen queries must run as SQLite index range scans, never as table scans.
import type { MangoQuery, RxDocumentData } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRxStorageSQLite } from './index';
import type { SQLiteStorageInstance } from './index';
import type { AnyInstance } from './test-support/storage-helpers';
import {
  asWritten,
  createTestInstance,
  makeTempDirectory,
  prepare,
} from './test-support/storage-helpers';
import type {
  AppointmentTestDoc,
  HistoryTestDoc,
  PatientTestDoc,
} from './test-support/test-schemas';
import {
  appointmentTestSchema,
  historyTestSchema,
  patientTestSchema,
} from './test-support/test-schemas';

const temp = makeTempDirectory();
const storage = getRxStorageSQLite({ directory: temp.directory, synchronous: 'NORMAL' });
let patients: AnyInstance<PatientTestDoc>;
let appointments: AnyInstance<AppointmentTestDoc>;
let history: AnyInstance<HistoryTestDoc>;

beforeAll(async () => {
  const names = (collectionName: string) => ({ databaseName: 'plans', collectionName });
  patients = await createTestInstance(storage, patientTestSchema, names('patients'));
  appointments = await createTestInstance(storage, appointmentTestSchema, names('appointments'));
  history = await createTestInstance(storage, historyTestSchema, names('history'));
  await appointments.bulkWrite(
    Array.from({ length: 200 }, (_, i) => ({
      document: asWritten<AppointmentTestDoc>({
        id: 'a' + String(i).padStart(4, '0'),
        providerId: 'prov' + (i % 4),
        operatoryId: 'op' + (i % 3),
        patientId: 'pat' + (i % 50),
        start: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00Z`,
        end: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}T09:30:00Z`,
        status: 'scheduled',
      }),
    })),
    'seed',
  );
});

afterAll(async () => {
  await Promise.all([patients.close(), appointments.close(), history.close()]);
  temp.cleanup();
});

function planOf<T>(instance: AnyInstance<T>, query: MangoQuery<RxDocumentData<T>>) {
  const prepared = prepare(instance.schema, query);
  const details = (instance as unknown as SQLiteStorageInstance<T>).explainQuery(prepared);
  return { prepared, details: details.join(' | ') };
}

function expectIndexRangeScan(details: string, table: string, index: string[]) {
  expect(details).toContain(`SEARCH ${table} USING INDEX ${table}::idx:${index.join(',')} (`);
  expect(details).not.toMatch(/\bSCAN\b/);
  expect(details).not.toContain('TEMP B-TREE');
}

describe('EXPLAIN QUERY PLAN of screen queries', () => {
  it('patient search by name prefix uses the nameKey index', () => {
    const { prepared, details } = planOf(patients, {
      selector: { _deleted: { $eq: false }, nameKey: { $gte: 'silv', $lte: 'silv\uffff' } },
      sort: [{ nameKey: 'asc' }],
      limit: 20,
    });
    expect(prepared.queryPlan.selectorSatisfiedByIndex).toBe(true);
    expectIndexRangeScan(details, 'patients-0', ['_deleted', 'nameKey', 'id']);
  });

  it("a provider's day uses the [providerId, start] index", () => {
    const { prepared, details } = planOf(appointments, {
      selector: {
        _deleted: { $eq: false },
        providerId: { $eq: 'prov1' },
        start: { $gte: '2025-03-05T00:00:00Z', $lt: '2025-03-06T00:00:00Z' },
      },
      sort: [{ start: 'asc' }],
    });
    expect(prepared.queryPlan.index).toEqual(['_deleted', 'providerId', 'start', 'id']);
    expectIndexRangeScan(details, 'appointments-0', ['_deleted', 'providerId', 'start', 'id']);
  });

  it("an operatory's day uses the [operatoryId, start] index", () => {
    const { details } = planOf(appointments, {
      selector: {
        _deleted: { $eq: false },
        operatoryId: { $eq: 'op2' },
        start: { $gte: '2025-03-05T00:00:00Z', $lt: '2025-03-06T00:00:00Z' },
      },
      sort: [{ start: 'asc' }],
    });
    expectIndexRangeScan(details, 'appointments-0', ['_deleted', 'operatoryId', 'start', 'id']);
  });

  it("a patient's history uses the [patientId, date] index, newest first", () => {
    const { prepared, details } = planOf(history, {
      selector: { _deleted: { $eq: false }, patientId: { $eq: 'pat7' } },
      sort: [{ date: 'desc' }],
    });
    expect(prepared.queryPlan.sortSatisfiedByIndex).toBe(false); // desc is re-sorted in JS
    expectIndexRangeScan(details, 'history-0', ['_deleted', 'patientId', 'date', 'id']);
  });

  it('replication paging uses the [_meta.lwt, id] index', () => {
    const { details } = planOf(appointments, {
      selector: { '_meta.lwt': { $gte: 1 } },
      sort: [{ '_meta.lwt': 'asc' }, { id: 'asc' }],
    });
    expectIndexRangeScan(details, 'appointments-0', ['_meta.lwt', 'id']);
  });

  it('the day query returns exactly that day, in index order', async () => {
    const { prepared } = planOf(appointments, {
      selector: {
        _deleted: { $eq: false },
        providerId: { $eq: 'prov1' },
        start: { $gte: '2025-03-06T00:00:00Z', $lt: '2025-03-07T00:00:00Z' },
      },
      sort: [{ start: 'asc' }],
    });
    const docs = (await appointments.query(prepared)).documents;
    // Seeds i = 5, 33, ..., 173 fall on March 6th with provider 1.
    expect(docs.map((d) => d.id)).toEqual(
      [5, 33, 61, 89, 117, 145, 173].map((i) => 'a' + String(i).padStart(4, '0')),
    );
  });
});
