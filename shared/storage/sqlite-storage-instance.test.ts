import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type {
  EventBulk,
  RxDocumentData,
  RxStorageChangeEvent,
  RxStorageDefaultCheckpoint,
  RxStorageWriteErrorConflict,
} from 'rxdb';
import { now } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RxStorageSQLite, SQLiteStorageInternals } from './index';
import { databaseFileName, getRxStorageSQLite } from './index';
import type { AnyInstance } from './test-support/storage-helpers';
import {
  asWritten,
  createTestInstance,
  makeTempDirectory,
  prepare,
} from './test-support/storage-helpers';
import type { NoteTestDoc, PatientTestDoc } from './test-support/test-schemas';
import { noteWithAttachmentsTestSchema, patientTestSchema } from './test-support/test-schemas';

function patient(id: string, overrides: Partial<PatientTestDoc> = {}): PatientTestDoc {
  return {
    id,
    nameKey: 'name ' + id,
    phoneKey: '555' + id,
    birthDate: '1990-01-01',
    displayName: 'Patient ' + id,
    age: 30,
    balance: 0,
    tags: [],
    ...overrides,
  };
}

let temp: ReturnType<typeof makeTempDirectory>;
let storage: RxStorageSQLite;
let instance: AnyInstance<PatientTestDoc>;

beforeEach(async () => {
  temp = makeTempDirectory();
  storage = getRxStorageSQLite({ directory: temp.directory });
  instance = await createTestInstance(storage, patientTestSchema, {
    databaseName: 'clinic',
    collectionName: 'patients',
  });
});

afterEach(async () => {
  await instance.close();
  temp.cleanup();
});

async function insert(
  docs: PatientTestDoc[],
  lwt?: number,
): Promise<RxDocumentData<PatientTestDoc>[]> {
  const written = docs.map((d) => asWritten(d, undefined, lwt === undefined ? {} : { lwt }));
  const result = await instance.bulkWrite(
    written.map((document) => ({ document })),
    'test-insert',
  );
  expect(result.error).toEqual([]);
  return written;
}

describe('bulkWrite', () => {
  it('inserts, updates and deletes, and persists across reopen', async () => {
    const [a, b] = await insert([patient('a'), patient('b')]);
    const a2 = asWritten({ ...patient('a'), age: 31 }, a);
    const b2 = asWritten(patient('b'), b, { deleted: true });
    const result = await instance.bulkWrite(
      [
        { previous: a, document: a2 },
        { previous: b, document: b2 },
      ],
      'test-update',
    );
    expect(result.error).toEqual([]);
    await instance.close();

    instance = await createTestInstance(storage, patientTestSchema, {
      databaseName: 'clinic',
      collectionName: 'patients',
    });
    expect(await instance.findDocumentsById(['a', 'b'], true)).toEqual([a2, b2]);
    expect(existsSync(`${temp.directory}/${databaseFileName('clinic')}`)).toBe(true);
  });

  it('returns a 409 with the stored document for an insert over an existing id', async () => {
    const [stored] = await insert([patient('a')]);
    const clash = asWritten(patient('a', { age: 99 }));
    const result = await instance.bulkWrite([{ document: clash }], 'test-conflict');
    expect(result.error).toHaveLength(1);
    const error = result.error[0] as RxStorageWriteErrorConflict<PatientTestDoc>;
    expect(error).toMatchObject({ status: 409, documentId: 'a', isError: true });
    expect(error.documentInDb).toEqual(stored);
    expect(error.writeRow.document).toEqual(clash);
  });

  it('returns a 409 for an update with a stale _rev and writes the other rows', async () => {
    const [a, b] = await insert([patient('a'), patient('b')]);
    const stale = { ...a!, _rev: '1-somebodyelse' };
    const result = await instance.bulkWrite(
      [
        { previous: stale, document: asWritten(patient('a', { age: 1 }), stale) },
        { previous: b, document: asWritten(patient('b', { age: 2 }), b) },
      ],
      'test-stale',
    );
    expect(result.error.map((e) => [e.status, e.documentId])).toEqual([[409, 'a']]);
    const [storedA, storedB] = await instance.findDocumentsById(['a', 'b'], false);
    expect(storedA!.age).toBe(30);
    expect(storedB!.age).toBe(2);
  });

  it('emits one event bulk per write, after commit, shaped like the memory storage', async () => {
    const bulks: EventBulk<RxStorageChangeEvent<PatientTestDoc>, unknown>[] = [];
    const sub = instance.changeStream().subscribe((b) => bulks.push(b));
    const lwt = now();
    const [a, b] = await insert([patient('a'), patient('b')], lwt);
    await instance.bulkWrite([{ document: asWritten(patient('a')) }], 'conflict-only');
    const a2 = asWritten(patient('a', { age: 40 }), a);
    await instance.bulkWrite([{ previous: a, document: a2 }], 'update');
    sub.unsubscribe();

    expect(bulks).toHaveLength(2); // the all-conflict write emits nothing
    expect(bulks[0]).toMatchObject({
      context: 'test-insert',
      checkpoint: { id: 'b', lwt },
      events: [
        { documentId: 'a', operation: 'INSERT', documentData: a, previousDocumentData: undefined },
        { documentId: 'b', operation: 'INSERT', documentData: b, previousDocumentData: undefined },
      ],
    });
    expect(bulks[1]).toMatchObject({
      context: 'update',
      checkpoint: { id: 'a', lwt: a2._meta.lwt },
      events: [{ documentId: 'a', operation: 'UPDATE', documentData: a2, previousDocumentData: a }],
    });
    expect(typeof bulks[0]!.id).toBe('string');
  });

  it('rolls back the whole batch when SQLite rejects a row', async () => {
    const row = { document: asWritten(patient('dup')) };
    await expect(instance.bulkWrite([row, { ...row }], 'duplicate-in-batch')).rejects.toThrow(
      /UNIQUE/,
    );
    expect(await instance.findDocumentsById(['dup'], true)).toEqual([]);
  });
});

describe('findDocumentsById', () => {
  it('returns documents in the order asked, skipping missing ones, with and without deleted', async () => {
    const [a, b, c] = await insert([patient('a'), patient('b'), patient('c')]);
    const bDeleted = asWritten(patient('b'), b, { deleted: true });
    await instance.bulkWrite([{ previous: b, document: bDeleted }], 'delete');
    expect(await instance.findDocumentsById(['c', 'missing', 'a', 'b'], false)).toEqual([c, a]);
    expect(await instance.findDocumentsById(['c', 'missing', 'a', 'b'], true)).toEqual([
      c,
      a,
      bDeleted,
    ]);
    expect(await instance.findDocumentsById(['a'], false)).toEqual([a]);
    expect(await instance.findDocumentsById([], true)).toEqual([]);
  });
});

describe('query and count', () => {
  beforeEach(async () => {
    await insert([
      patient('1', { nameKey: 'silva ana', age: 40, address: { city: 'porto', zip: 3 } }),
      patient('2', { nameKey: 'silva bruno', age: 20, address: { city: 'braga' } }),
      patient('3', { nameKey: 'souza carla', age: 40 }),
      patient('4', { nameKey: 'silveira davi', age: 10, address: { city: 'aveiro', zip: 1 } }),
      patient('5', { nameKey: 'costa eva', age: 40, address: { city: 'porto', zip: 2 } }),
    ]);
  });

  const ids = (docs: RxDocumentData<PatientTestDoc>[]) => docs.map((d) => d.id);

  it('answers a name-prefix search from the index range, skip and limit in SQL', async () => {
    const query = prepare(instance.schema, {
      selector: { _deleted: { $eq: false }, nameKey: { $gte: 'silv', $lte: 'silv\uffff' } },
      sort: [{ nameKey: 'asc' }],
      skip: 1,
      limit: 2,
    });
    expect(query.queryPlan.selectorSatisfiedByIndex).toBe(true);
    expect(query.queryPlan.sortSatisfiedByIndex).toBe(true);
    expect(ids((await instance.query(query)).documents)).toEqual(['2', '4']);
    expect((await instance.count(query)).count).toBe(3); // count ignores skip/limit, like memory
  });

  it('matches selectors the index cannot satisfy and re-sorts in JS', async () => {
    const query = prepare(instance.schema, {
      selector: { age: { $in: [40, 10] }, nameKey: { $regex: '^s' } },
      sort: [{ age: 'desc' }, { nameKey: 'asc' }],
    });
    expect(query.queryPlan.selectorSatisfiedByIndex).toBe(false);
    expect(query.queryPlan.sortSatisfiedByIndex).toBe(false);
    expect(ids((await instance.query(query)).documents)).toEqual(['1', '3', '4']);
    expect(await instance.count(query)).toEqual({ count: 3, mode: 'fast' });
  });

  it('sorts on nested fields, missing values first', async () => {
    const query = prepare(instance.schema, {
      selector: {},
      sort: [{ 'address.city': 'asc' }, { 'address.zip': 'desc' }],
    });
    expect(ids((await instance.query(query)).documents)).toEqual(['3', '4', '2', '1', '5']);
  });

  it('finds deleted documents only when the selector asks for them', async () => {
    const [current] = await instance.findDocumentsById(['3'], false);
    await instance.bulkWrite(
      [{ previous: current, document: asWritten(patient('3'), current, { deleted: true }) }],
      'delete',
    );
    const live = prepare(instance.schema, { selector: { _deleted: { $eq: false } } });
    const deleted = prepare(instance.schema, { selector: { _deleted: { $eq: true } } });
    const everything = prepare(instance.schema, { selector: {} });
    expect(ids((await instance.query(live)).documents)).not.toContain('3');
    expect(ids((await instance.query(deleted)).documents)).toEqual(['3']);
    expect((await instance.count(deleted)).count).toBe(1);
    expect((await instance.query(everything)).documents).toHaveLength(5);
  });

  it('rejects an index hint that is not a schema index, as the memory storage does', async () => {
    const query = prepare(instance.schema, { selector: {}, index: ['displayName'] });
    await expect(instance.query(query)).rejects.toThrow('index does not exist displayName,id');
  });
});

describe('getChangedDocumentsSince', () => {
  it('pages through documents sharing one lwt without skipping or repeating any', async () => {
    const lwt = now();
    const docs = ['e', 'a', 'd', 'c', 'b'].map((id) => patient(id));
    await insert(docs, lwt);
    const later = await insert([patient('f')]);
    const seen: string[] = [];
    let checkpoint: RxStorageDefaultCheckpoint | undefined;
    const checkpoints: RxStorageDefaultCheckpoint[] = [];
    for (;;) {
      const page = await instance.getChangedDocumentsSince!(2, checkpoint);
      seen.push(...page.documents.map((d) => d.id));
      checkpoint = page.checkpoint;
      checkpoints.push(checkpoint);
      if (page.documents.length < 2) break;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(checkpoints.slice(0, 2)).toEqual([
      { id: 'b', lwt },
      { id: 'd', lwt },
    ]);
    expect(checkpoint).toEqual({ id: 'f', lwt: later[0]!._meta.lwt });
    // At the end, the checkpoint given is returned unchanged.
    expect(await instance.getChangedDocumentsSince!(2, checkpoint)).toEqual({
      documents: [],
      checkpoint,
    });
    expect(await instance.getChangedDocumentsSince!(2)).toMatchObject({
      checkpoint: { id: 'b', lwt },
    });
  });

  it('includes deleted documents and returns each document once, at its latest state', async () => {
    const [a] = await insert([patient('a')]);
    const a2 = asWritten(patient('a'), a, { deleted: true });
    await instance.bulkWrite([{ previous: a, document: a2 }], 'delete');
    const page = await instance.getChangedDocumentsSince!(10);
    expect(page.documents).toEqual([a2]);
    expect(await instance.getChangedDocumentsSince!(10, { id: '', lwt: 0 })).toEqual({
      documents: [a2],
      checkpoint: { id: 'a', lwt: a2._meta.lwt },
    });
  });
});

describe('cleanup', () => {
  it('purges tombstones older than the given age and keeps recent ones and live documents', async () => {
    const old = now() - 60_000;
    const [a, b] = await insert([patient('a'), patient('b')], old);
    await instance.bulkWrite(
      [{ previous: a, document: asWritten(patient('a'), a, { deleted: true, lwt: old + 1 }) }],
      'delete-old',
    );
    await insert([patient('c')]);
    const [c] = await instance.findDocumentsById(['c'], false);
    await instance.bulkWrite(
      [{ previous: c, document: asWritten(patient('c'), c, { deleted: true }) }],
      'delete-now',
    );
    expect(await instance.cleanup(30_000)).toBe(true);
    expect((await instance.findDocumentsById(['a', 'b', 'c'], true)).map((d) => d.id)).toEqual([
      'b',
      'c',
    ]);
    expect(await instance.cleanup(0)).toBe(true);
    expect(await instance.findDocumentsById(['a', 'b', 'c'], true)).toEqual([b]);
  });
});

describe('attachments', () => {
  let notes: AnyInstance<NoteTestDoc>;
  beforeEach(async () => {
    notes = await createTestInstance(storage, noteWithAttachmentsTestSchema, {
      databaseName: 'clinic',
      collectionName: 'notes',
    });
  });
  afterEach(() => notes.close());

  const attachment = (text: string, digest: string) => ({
    length: text.length,
    digest,
    type: 'text/plain',
    data: new Blob([text], { type: 'text/plain' }),
  });

  it('stores attachment data in its own table and serves it by digest', async () => {
    const doc = {
      ...asWritten<NoteTestDoc>({ id: 'n1', title: 'x-ray' }),
      _attachments: { 'scan.txt': attachment('bytes v1', 'd1') },
    } as RxDocumentData<NoteTestDoc>;
    expect((await notes.bulkWrite([{ document: doc }], 'att')).error).toEqual([]);

    const [stored] = await notes.findDocumentsById(['n1'], false);
    expect(stored!._attachments).toEqual({
      'scan.txt': { length: 8, digest: 'd1', type: 'text/plain' },
    });
    const blob = await notes.getAttachmentData('n1', 'scan.txt', 'd1');
    expect(await blob.text()).toBe('bytes v1');
    expect(blob.type).toBe('text/plain');
    await expect(notes.getAttachmentData('n1', 'scan.txt', 'other')).rejects.toThrow(
      'attachment does not exist',
    );

    const db = new Database(
      notes.internals ? (notes.internals as { filePath: string }).filePath : '',
      {
        readonly: true,
      },
    );
    const row = db.prepare('SELECT count(*) AS n FROM "notes-0::attachments"').get() as {
      n: number;
    };
    db.close();
    expect(row.n).toBe(1);

    // Update the attachment, then delete the document: its attachments go with it.
    const updated = {
      ...asWritten<NoteTestDoc>({ id: 'n1', title: 'x-ray' }, stored),
      _attachments: { 'scan.txt': attachment('bytes v2', 'd2') },
    } as RxDocumentData<NoteTestDoc>;
    expect((await notes.bulkWrite([{ previous: stored, document: updated }], 'att')).error).toEqual(
      [],
    );
    expect(await (await notes.getAttachmentData('n1', 'scan.txt', 'd2')).text()).toBe('bytes v2');
    const [current] = await notes.findDocumentsById(['n1'], false);
    const deleted = asWritten<NoteTestDoc>({ id: 'n1', title: 'x-ray' }, current, {
      deleted: true,
    });
    await notes.bulkWrite([{ previous: current, document: deleted }], 'delete');
    await expect(notes.getAttachmentData('n1', 'scan.txt', 'd2')).rejects.toThrow();
  });

  it('rejects an insert whose attachment has no data with status 510', async () => {
    const doc = {
      ...asWritten<NoteTestDoc>({ id: 'n2', title: 't' }),
      _attachments: { 'a.txt': { length: 1, digest: 'd', type: 'text/plain' } },
    } as RxDocumentData<NoteTestDoc>;
    const result = await notes.bulkWrite([{ document: doc }], 'att');
    expect(result.error.map((e) => e.status)).toEqual([510]);
  });
});

describe('opening a table written with fewer indexes', () => {
  it('adds and fills the missing index column, and queries use it', async () => {
    await insert([patient('a', { phoneKey: '222' }), patient('b', { phoneKey: '111' })]);
    await instance.close();
    const withExtraIndex = {
      ...patientTestSchema,
      indexes: [...(patientTestSchema.indexes ?? []), 'displayName'],
      properties: {
        ...patientTestSchema.properties,
        displayName: { type: 'string', maxLength: 50 },
      },
    } as typeof patientTestSchema;
    instance = await createTestInstance(storage, withExtraIndex, {
      databaseName: 'clinic',
      collectionName: 'patients',
    });
    const query = prepare(instance.schema, {
      selector: { _deleted: { $eq: false }, displayName: { $gte: 'Patient b' } },
      sort: [{ displayName: 'asc' }],
    });
    expect(query.queryPlan.index).toEqual(['_deleted', 'displayName', 'id']);
    expect((await instance.query(query)).documents.map((d) => d.id)).toEqual(['b']);
  });
});

describe('close and remove', () => {
  it('remove drops the collection table; the last one deletes the empty file', async () => {
    await insert([patient('a')]);
    const filePath = (instance.internals as SQLiteStorageInternals).filePath;
    await instance.remove();
    expect(existsSync(filePath)).toBe(false);

    instance = await createTestInstance(storage, patientTestSchema, {
      databaseName: 'clinic',
      collectionName: 'patients',
    });
    expect(await instance.findDocumentsById(['a'], true)).toEqual([]);
  });

  it('refuses writes after close and completes the change stream', async () => {
    let completed = false;
    instance.changeStream().subscribe({ complete: () => (completed = true) });
    await instance.close();
    expect(completed).toBe(true);
    await expect(instance.bulkWrite([{ document: asWritten(patient('z')) }], 'x')).rejects.toThrow(
      /closed/,
    );
    await instance.close(); // idempotent
  });

  it('keeps other collections of the same database file intact on remove', async () => {
    await insert([patient('a')]);
    const other = await createTestInstance(storage, patientTestSchema, {
      databaseName: 'clinic',
      collectionName: 'archive',
    });
    await other.bulkWrite([{ document: asWritten(patient('x')) }], 'x');
    await other.remove();
    expect(await instance.findDocumentsById(['a'], false)).toHaveLength(1);
  });
});
