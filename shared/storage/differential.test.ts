// The SQLite storage must answer every RxStorage call exactly like RxDB's memory storage:
// random operation sequences run on both, and results, conflict errors and change events match.
import fc from 'fast-check';
import type {
  BulkWriteRow,
  EventBulk,
  MangoQuery,
  MangoQuerySelector,
  MangoQuerySortPart,
  RxDocumentData,
  RxStorageDefaultCheckpoint,
} from 'rxdb';
import { getChangedDocumentsSince, now, randomToken } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RxStorageSQLite } from './index';
import { getRxStorageSQLite } from './index';
import type { AnyInstance } from './test-support/storage-helpers';
import {
  asWritten,
  createTestInstance,
  makeTempDirectory,
  prepare,
} from './test-support/storage-helpers';
import type { PatientTestDoc } from './test-support/test-schemas';
import { patientTestSchema } from './test-support/test-schemas';

// Small value pools make equal index values, conflicts and equal lwt frequent. The strings cover
// the orderings where SQLite and JS differ: control chars, astral chars, U+FFFF, empty string.
// Lone surrogates are valid in JS strings (and RxDB ids) but not in UTF-8.
const IDS = [
  'p01',
  'p02',
  'p03',
  'p04',
  'p05',
  'p06',
  'p07',
  'pé',
  'p😀',
  'p\t',
  'P0',
  'p\ud800',
  'p\ud801',
];
const NAMES = [
  'ana',
  'ana b',
  'anabel',
  'bo',
  'bob',
  '',
  'é',
  'z😀',
  'z\uffff',
  'z\ufb01',
  'a\tb',
  'z\udc00',
];
const CITIES = ['lisbon', 'porto', 'braga', '', 'évora'];

type RowAction = 'insert' | 'update' | 'delete' | 'stale' | 'undelete';
type RowSpec = {
  id: string;
  action: RowAction;
  nameKey: string;
  age: number;
  balance: number;
  city: string | undefined;
  zip: number | undefined;
};
type Op =
  | { kind: 'write'; rows: RowSpec[]; reuseLwt: boolean }
  | { kind: 'findById'; ids: string[]; withDeleted: boolean }
  | { kind: 'query'; query: MangoQuery<RxDocumentData<PatientTestDoc>> }
  | { kind: 'count'; query: MangoQuery<RxDocumentData<PatientTestDoc>> }
  | { kind: 'changes'; limit: number }
  | { kind: 'cleanup'; minimumDeletedTime: number };

const rowArb: fc.Arbitrary<RowSpec> = fc.record({
  id: fc.constantFrom(...IDS),
  action: fc.constantFrom<RowAction>('insert', 'update', 'update', 'delete', 'stale', 'undelete'),
  nameKey: fc.constantFrom(...NAMES),
  age: fc.integer({ min: 0, max: 6 }),
  balance: fc.constantFrom(-5.5, 0, 0.01, 3.14, 99.99, 100),
  city: fc.option(fc.constantFrom(...CITIES), { nil: undefined }),
  zip: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
});

const stringOps = (values: string[]) =>
  fc.oneof(
    fc.record({ $eq: fc.constantFrom(...values) }),
    fc.record({ $gt: fc.constantFrom(...values) }),
    fc.record({ $gte: fc.constantFrom(...values) }),
    fc.record({ $lt: fc.constantFrom(...values) }),
    fc.record({ $lte: fc.constantFrom(...values) }),
    fc.record({ $gte: fc.constantFrom(...values), $lt: fc.constantFrom(...values) }),
    fc.record({ $in: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }) }),
    fc.record({ $regex: fc.constantFrom('^an', 'b', '^$', 'o$', '😀') }),
    fc.record({ $ne: fc.constantFrom(...values) }),
  );
const numberOps = (values: number[]) =>
  fc.oneof(
    fc.record({ $eq: fc.constantFrom(...values) }),
    fc.record({ $gt: fc.constantFrom(...values) }),
    fc.record({ $gte: fc.constantFrom(...values) }),
    fc.record({ $lt: fc.constantFrom(...values) }),
    fc.record({ $lte: fc.constantFrom(...values) }),
    fc.record({ $gt: fc.constantFrom(...values), $lte: fc.constantFrom(...values) }),
    fc.record({ $in: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }) }),
  );

type FieldCondition = [string, Record<string, unknown>];
const fieldConditionArb: fc.Arbitrary<FieldCondition> = fc.oneof(
  fc.tuple(fc.constant('nameKey'), stringOps(NAMES)),
  fc.tuple(fc.constant('age'), numberOps([-1, 0, 2, 3, 6, 200])),
  fc.tuple(fc.constant('balance'), numberOps([-5.5, 0, 3.14, 100, 100000.5])),
  fc.tuple(fc.constant('address.city'), stringOps(CITIES)),
  fc.tuple(fc.constant('id'), stringOps(IDS)),
  fc.tuple(fc.constant('_deleted'), fc.record({ $eq: fc.boolean() })),
);
// Zero to two conditions: more would leave almost every result empty.
const fieldSelectorArb = fc
  .uniqueArray(fieldConditionArb, { maxLength: 2, selector: ([field]) => field })
  .map(
    (conditions) =>
      Object.fromEntries(conditions) as MangoQuerySelector<RxDocumentData<PatientTestDoc>>,
  );

const selectorArb: fc.Arbitrary<MangoQuerySelector<RxDocumentData<PatientTestDoc>>> = fc.oneof(
  { weight: 4, arbitrary: fieldSelectorArb },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fieldSelectorArb, fieldSelectorArb)
      .map(([a, b]) => ({ $or: [a, b] }) as MangoQuerySelector<RxDocumentData<PatientTestDoc>>),
  },
);

const sortArb = fc.constantFrom<MangoQuerySortPart<RxDocumentData<PatientTestDoc>>[] | undefined>(
  undefined,
  [{ nameKey: 'asc' }],
  [{ nameKey: 'desc' }],
  [{ age: 'asc' }, { balance: 'asc' }],
  [{ age: 'desc' }, { nameKey: 'asc' }],
  [{ 'address.city': 'asc' }],
  [{ 'address.zip': 'desc' }],
  [{ balance: 'asc' }],
  [{ _deleted: 'asc' }, { nameKey: 'asc' }],
);

// Hints name the index as RxDB stores it (RxDB adds _deleted and the primary key); a hint that
// is not a schema index must fail the same way on both storages.
const INDEX_HINTS = [
  undefined,
  undefined,
  undefined,
  ['_deleted', 'nameKey', 'id'],
  ['_deleted', 'age', 'balance', 'id'],
  ['_meta.lwt', 'id'],
  ['nameKey'],
];

const queryArb: fc.Arbitrary<MangoQuery<RxDocumentData<PatientTestDoc>>> = fc
  .record({
    selector: selectorArb,
    sort: sortArb,
    skip: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    limit: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    index: fc.constantFrom(...INDEX_HINTS),
    // RxDB's own queries always carry `_deleted: false`; it lets the index satisfy sorts.
    onlyLive: fc.boolean(),
  })
  .map((q) => {
    const selector =
      q.onlyLive && !('_deleted' in q.selector) && !('$or' in q.selector)
        ? { ...q.selector, _deleted: { $eq: false } }
        : q.selector;
    const query: MangoQuery<RxDocumentData<PatientTestDoc>> = { selector };
    if (q.sort) query.sort = q.sort;
    if (q.skip !== undefined) query.skip = q.skip;
    if (q.limit !== undefined) query.limit = q.limit;
    if (q.index) query.index = q.index;
    return query;
  });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      rows: fc.uniqueArray(rowArb, { minLength: 1, maxLength: 5, selector: (r) => r.id }),
      reuseLwt: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('findById' as const),
      ids: fc.array(fc.constantFrom(...IDS, 'missing'), { maxLength: 5 }),
      withDeleted: fc.boolean(),
    }),
  },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('query' as const), query: queryArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('count' as const), query: queryArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('changes' as const),
      limit: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cleanup' as const),
      minimumDeletedTime: fc.constantFrom(0, 1_000_000_000),
    }),
  },
);

/** What the random runs exercised, so a generator change cannot quietly make the test hollow. */
const coverage = {
  conflicts: 0,
  nonEmptyQueries: 0,
  resortedQueries: 0,
  eventBulks: 0,
  purged: 0,
  changePages: 0,
};

// Every run starts by inserting a few documents, so early reads have something to find.
const seedWriteArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('write' as const),
  rows: fc.uniqueArray(
    rowArb.map((row) => ({ ...row, action: 'insert' as const })),
    { minLength: 3, maxLength: 8, selector: (r) => r.id },
  ),
  reuseLwt: fc.constant(false),
});
const seededOpsArb = fc
  .tuple(seedWriteArb, fc.array(opArb, { minLength: 5, maxLength: 25 }))
  .map(([seed, ops]) => [seed, ...ops]);

type Pair = {
  sqlite: AnyInstance<PatientTestDoc>;
  memory: AnyInstance<PatientTestDoc>;
  sqliteEvents: unknown[];
  memoryEvents: unknown[];
  lastLwt: number;
};

/** The event bulk id is a per-call counter; it is the one field that must differ. */
function withoutBulkId(bulk: EventBulk<unknown, unknown>): unknown {
  const { id: _id, ...rest } = bulk;
  return rest;
}

/** Outcome of a call: its value, or the message it was rejected with (both must match). */
async function settle<T>(call: () => Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await call() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function buildDocument(spec: RowSpec): PatientTestDoc {
  const doc: PatientTestDoc = {
    id: spec.id,
    nameKey: spec.nameKey,
    phoneKey: String(spec.age * 7),
    birthDate: '2000-01-0' + spec.age,
    displayName: 'Test ' + spec.nameKey,
    age: spec.age,
    balance: spec.balance,
    tags: spec.age % 2 === 0 ? ['even'] : [],
  };
  if (spec.city !== undefined || spec.zip !== undefined) {
    doc.address = {};
    if (spec.city !== undefined) doc.address.city = spec.city;
    if (spec.zip !== undefined) doc.address.zip = spec.zip;
  }
  return doc;
}

async function buildWriteRows(
  pair: Pair,
  op: Extract<Op, { kind: 'write' }>,
): Promise<BulkWriteRow<PatientTestDoc>[]> {
  const lwt = op.reuseLwt && pair.lastLwt > 0 ? pair.lastLwt : now();
  pair.lastLwt = lwt;
  const current = await pair.memory.findDocumentsById(
    op.rows.map((r) => r.id),
    true,
  );
  const currentById = new Map(current.map((d) => [d.id, d]));
  return op.rows.map((spec) => {
    const existing = currentById.get(spec.id);
    const data = buildDocument(spec);
    switch (spec.action) {
      case 'insert':
        return { document: asWritten(data, undefined, { lwt }) };
      case 'update':
        return { previous: existing, document: asWritten(data, existing, { lwt }) };
      case 'delete':
        return {
          previous: existing,
          document: asWritten(data, existing, { lwt, deleted: true }),
        };
      case 'undelete':
        return { previous: existing, document: asWritten(data, existing, { lwt }) };
      case 'stale': {
        const stale = existing ? { ...existing, _rev: '1-stalerevision' } : undefined;
        return { previous: stale, document: asWritten(data, stale, { lwt }) };
      }
    }
  });
}

async function runOp(pair: Pair, op: Op): Promise<void> {
  const schema = pair.memory.schema;
  switch (op.kind) {
    case 'write': {
      const rows = await buildWriteRows(pair, op);
      const memoryResult = await pair.memory.bulkWrite(structuredClone(rows), 'diff-write');
      const sqliteResult = await pair.sqlite.bulkWrite(structuredClone(rows), 'diff-write');
      expect(sqliteResult).toEqual(memoryResult);
      coverage.conflicts += memoryResult.error.filter((e) => e.status === 409).length;
      break;
    }
    case 'findById': {
      for (const withDeleted of [op.withDeleted, !op.withDeleted]) {
        expect(await pair.sqlite.findDocumentsById(op.ids, withDeleted)).toEqual(
          await pair.memory.findDocumentsById(op.ids, withDeleted),
        );
      }
      break;
    }
    case 'query': {
      const prepared = prepare(schema, op.query);
      const memoryResult = await settle(() => pair.memory.query(prepared));
      expect(await settle(() => pair.sqlite.query(prepared))).toEqual(memoryResult);
      if ('value' in memoryResult && memoryResult.value.documents.length > 0) {
        coverage.nonEmptyQueries++;
        if (!prepared.queryPlan.sortSatisfiedByIndex) coverage.resortedQueries++;
      }
      break;
    }
    case 'count': {
      const prepared = prepare(schema, op.query);
      expect(await settle(() => pair.sqlite.count(prepared))).toEqual(
        await settle(() => pair.memory.count(prepared)),
      );
      break;
    }
    case 'changes': {
      let sqliteCheckpoint: RxStorageDefaultCheckpoint | undefined;
      let memoryCheckpoint: RxStorageDefaultCheckpoint | undefined;
      for (let page = 0; page < 40; page++) {
        const sqlitePage = await pair.sqlite.getChangedDocumentsSince!(op.limit, sqliteCheckpoint);
        // The memory storage has no getChangedDocumentsSince: RxDB's fallback query serves it.
        const memoryPage = await getChangedDocumentsSince(pair.memory, op.limit, memoryCheckpoint);
        expect(sqlitePage).toEqual(memoryPage);
        coverage.changePages++;
        sqliteCheckpoint = sqlitePage.checkpoint as RxStorageDefaultCheckpoint;
        memoryCheckpoint = memoryPage.checkpoint as RxStorageDefaultCheckpoint;
        if (memoryPage.documents.length < op.limit) break;
      }
      break;
    }
    case 'cleanup': {
      const before = (await pair.memory.findDocumentsById(IDS, true)).length;
      expect(await pair.sqlite.cleanup(op.minimumDeletedTime)).toBe(
        await pair.memory.cleanup(op.minimumDeletedTime),
      );
      coverage.purged += before - (await pair.memory.findDocumentsById(IDS, true)).length;
      break;
    }
  }
  expect(pair.sqliteEvents).toEqual(pair.memoryEvents);
}

describe('SQLite storage vs RxDB memory storage (differential)', () => {
  const temp = makeTempDirectory();
  let storage: RxStorageSQLite;
  const memoryStorage = getRxStorageMemory();
  let run = 0;

  beforeAll(() => {
    storage = getRxStorageSQLite({ directory: temp.directory, synchronous: 'NORMAL' });
  });
  afterAll(() => temp.cleanup());

  it('gives identical results, conflicts and change events on random operation sequences', async () => {
    let operations = 0;
    await fc.assert(
      fc.asyncProperty(seededOpsArb, async (ops) => {
        run++;
        const names = { databaseName: 'difftest', collectionName: `run${run}` };
        const memoryNames = { ...names, databaseName: 'difftest-' + randomToken(8) };
        const pair: Pair = {
          sqlite: await createTestInstance(storage, patientTestSchema, names),
          memory: await createTestInstance(memoryStorage, patientTestSchema, memoryNames),
          sqliteEvents: [],
          memoryEvents: [],
          lastLwt: 0,
        };
        const subscriptions = [
          pair.sqlite.changeStream().subscribe((b) => pair.sqliteEvents.push(withoutBulkId(b))),
          pair.memory.changeStream().subscribe((b) => {
            coverage.eventBulks++;
            pair.memoryEvents.push(withoutBulkId(b));
          }),
        ];
        try {
          for (const op of ops) {
            await runOp(pair, op);
            operations++;
          }
          // Final state, tombstones included.
          expect(await pair.sqlite.findDocumentsById(IDS, true)).toEqual(
            await pair.memory.findDocumentsById(IDS, true),
          );
        } finally {
          subscriptions.forEach((s) => s.unsubscribe());
          await pair.sqlite.remove();
          await pair.memory.remove();
        }
      }),
      { numRuns: 200 },
    );
    console.info('differential coverage', { operations, ...coverage });
    expect(operations).toBeGreaterThan(2000);
    expect(coverage.conflicts).toBeGreaterThan(100);
    expect(coverage.nonEmptyQueries).toBeGreaterThan(250);
    expect(coverage.resortedQueries).toBeGreaterThan(50);
    expect(coverage.nonEmptyQueries - coverage.resortedQueries).toBeGreaterThan(60);
    expect(coverage.eventBulks).toBeGreaterThan(500);
    expect(coverage.purged).toBeGreaterThan(10);
    expect(coverage.changePages).toBeGreaterThan(500);
  }, 120_000);
});
