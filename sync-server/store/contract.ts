// The contract every SyncStore passes (SQLite and MongoDB run the same suite). Call
// runStoreContract inside a test file; each test gets a fresh, empty store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceClinicMismatchError, StoreDuplicateError, UnknownClinicError } from './errors';
import type {
  Clinic,
  Device,
  PushRow,
  RefreshTokenRecord,
  ReplicatedDocument,
  SyncStore,
  User,
} from './types';

export interface StoreUnderTest {
  readonly store: SyncStore;
  /** Closes everything opened for this store (peers too) and removes its data. */
  readonly cleanup: () => Promise<void>;
  /** Another handle on the same data, like a second server instance; used by the concurrency proof. */
  readonly openPeer?: () => Promise<SyncStore>;
}

export interface StoreContractOptions {
  /** Concurrency proof size; defaults to 8 pushers × 50 pushes and 3 pullers. */
  readonly pushers?: number;
  readonly pushesPerPusher?: number;
  readonly pullers?: number;
  /** A safety net for loaded machines; the proof is sized to finish far sooner. Default 60 s. */
  readonly concurrencyTimeoutMs?: number;
}

const CLINIC_A = 'clinic-a';
const CLINIC_B = 'clinic-b';
const PATIENTS = 'patients';
const APPOINTMENTS = 'appointments';

function clinic(id: string): Clinic {
  return {
    id,
    name: `Clinic ${id}`,
    timeZone: 'America/Sao_Paulo',
    currency: 'BRL',
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

function doc(id: string, fields: Record<string, unknown> = {}): ReplicatedDocument {
  return {
    id,
    label: `doc ${id}`,
    rev: 1,
    tags: ['a', 'b'],
    nested: { x: 1 },
    ...fields,
    _deleted: false,
  };
}

const insertRow = (state: ReplicatedDocument): PushRow => ({ newDocumentState: state });
const updateRow = (assumed: ReplicatedDocument, state: ReplicatedDocument): PushRow => ({
  newDocumentState: state,
  assumedMasterState: assumed,
});

/** Every change of a collection from the start, in pages of `limit`. */
async function pullAll(
  store: SyncStore,
  clinicId: string,
  collection: string,
  limit = 1000,
): Promise<ReplicatedDocument[]> {
  const all: ReplicatedDocument[] = [];
  let checkpoint = { seq: 0 };
  for (;;) {
    const page = await store.pull(clinicId, collection, checkpoint, limit);
    all.push(...page.documents);
    if (page.documents.length < limit) return all;
    checkpoint = { seq: page.checkpoint.seq };
  }
}

function byId(docs: readonly ReplicatedDocument[]): Map<string, ReplicatedDocument> {
  return new Map(docs.map((d) => [d['id'] as string, d]));
}

function user(clinicId: string, id: string, email: string): User {
  return {
    id,
    clinicId,
    email,
    name: `User ${id}`,
    role: 'dentist',
    passwordHash: `$argon2id$fake-${id}`,
    disabled: false,
    providerId: null,
    createdAt: '2025-01-02T00:00:00.000Z',
  };
}

function device(clinicId: string, id: string, fields: Partial<Device> = {}): Device {
  return {
    id,
    clinicId,
    userId: 'user-1',
    name: `Front desk PC ${id}`,
    createdAt: '2025-01-03T00:00:00.000Z',
    lastSeenAt: '2025-01-03T00:00:00.000Z',
    revokedAt: null,
    ...fields,
  };
}

function refreshToken(tokenHash: string, familyId: string, deviceId = 'dev-1'): RefreshTokenRecord {
  return {
    tokenHash,
    familyId,
    clinicId: CLINIC_A,
    userId: 'user-1',
    deviceId,
    expiresAt: '2030-01-01T00:00:00.000Z',
    usedAt: null,
    revokedAt: null,
  };
}

export function runStoreContract(
  name: string,
  openFreshStore: () => Promise<StoreUnderTest>,
  options: StoreContractOptions = {},
): void {
  describe(`SyncStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: SyncStore;

    beforeEach(async () => {
      subject = await openFreshStore();
      store = subject.store;
      await store.createClinic(clinic(CLINIC_A));
      await store.createClinic(clinic(CLINIC_B));
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    describe('pull and push', () => {
      it('pulls nothing from an empty clinic and keeps the checkpoint', async () => {
        expect(await store.pull(CLINIC_A, PATIENTS, null, 10)).toEqual({
          documents: [],
          checkpoint: { seq: 0 },
        });
        expect(await store.pull(CLINIC_A, PATIENTS, { seq: 7 }, 10)).toEqual({
          documents: [],
          checkpoint: { seq: 7 },
        });
        expect(await store.currentSeq(CLINIC_A)).toBe(0);
      });

      it('stores documents exactly as pushed, key order included, with no server fields inside', async () => {
        const pushed: ReplicatedDocument = {
          zeta: 'last key first',
          id: 'p1',
          nested: { b: 2, a: [3, { d: null, c: 'x' }] },
          amountCents: 12_345,
          _deleted: false,
        };
        const result = await store.push(CLINIC_A, PATIENTS, [insertRow(pushed)]);
        expect(result).toEqual({ conflicts: [], refused: [], written: 1, seq: 1 });
        const pulled = await store.pull(CLINIC_A, PATIENTS, null, 10);
        expect(pulled.checkpoint).toEqual({ seq: 1 });
        expect(pulled.documents).toHaveLength(1);
        const stored = pulled.documents[0]!;
        expect(stored).toStrictEqual(pushed);
        expect(JSON.stringify(stored)).toBe(JSON.stringify(pushed));
        expect(await store.getDocuments(CLINIC_A, PATIENTS, ['p1', 'missing'])).toStrictEqual([
          pushed,
        ]);
      });

      it('gives every written row the next clinic sequence, across collections', async () => {
        const first = await store.push(CLINIC_A, PATIENTS, [
          insertRow(doc('p1')),
          insertRow(doc('p2')),
        ]);
        expect(first.seq).toBe(2);
        const second = await store.push(CLINIC_A, APPOINTMENTS, [insertRow(doc('a1'))]);
        expect(second.seq).toBe(3);
        expect(await store.currentSeq(CLINIC_A)).toBe(3);
        const appointments = await store.pull(CLINIC_A, APPOINTMENTS, null, 10);
        expect(appointments.documents.map((d) => d['id'])).toEqual(['a1']);
        expect(appointments.checkpoint).toEqual({ seq: 3 });
        const patients = await store.pull(CLINIC_A, PATIENTS, null, 10);
        expect(patients.documents.map((d) => d['id'])).toEqual(['p1', 'p2']);
        expect(patients.checkpoint).toEqual({ seq: 2 });
      });

      it('pages by checkpoint and limit, oldest change first, each document at its latest state once', async () => {
        const ids = Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}`);
        for (const id of ids) await store.push(CLINIC_A, PATIENTS, [insertRow(doc(id))]);
        // p03 changes after everything else: it must move to the end of the change feed.
        await store.push(CLINIC_A, PATIENTS, [updateRow(doc('p03'), doc('p03', { rev: 2 }))]);
        const seen: string[] = [];
        const checkpoints: number[] = [];
        let checkpoint = null as { seq: number } | null;
        for (;;) {
          const page = await store.pull(CLINIC_A, PATIENTS, checkpoint, 10);
          if (page.documents.length === 0) {
            expect(page.checkpoint).toEqual(checkpoint);
            break;
          }
          expect(page.documents.length).toBeLessThanOrEqual(10);
          seen.push(...page.documents.map((d) => d['id'] as string));
          checkpoints.push(page.checkpoint.seq);
          checkpoint = page.checkpoint;
        }
        expect(checkpoints).toEqual([11, 21, 26]);
        expect(seen).toEqual([...ids.filter((id) => id !== 'p03'), 'p03']);
        expect(byId(await pullAll(store, CLINIC_A, PATIENTS)).get('p03')?.['rev']).toBe(2);
      });

      it('rejects a limit below 1 or a negative checkpoint', async () => {
        await expect(store.pull(CLINIC_A, PATIENTS, null, 0)).rejects.toThrow(RangeError);
        await expect(store.pull(CLINIC_A, PATIENTS, { seq: -1 }, 5)).rejects.toThrow(RangeError);
      });

      it('applies rows of one batch in order, so a later row may build on an earlier one', async () => {
        const v1 = doc('p1');
        const v2 = doc('p1', { rev: 2 });
        const result = await store.push(CLINIC_A, PATIENTS, [insertRow(v1), updateRow(v1, v2)]);
        expect(result).toEqual({ conflicts: [], refused: [], written: 2, seq: 2 });
        expect(await store.getDocuments(CLINIC_A, PATIENTS, ['p1'])).toStrictEqual([v2]);
      });

      it('refuses a row without a string id and still applies the others', async () => {
        const result = await store.push(CLINIC_A, PATIENTS, [
          insertRow({ label: 'no id', _deleted: false }),
          insertRow(doc('p2')),
        ]);
        expect(result.written).toBe(1);
        expect(result.refused).toEqual([
          { index: 0, id: '', message: expect.stringContaining('id') },
        ]);
        expect(await store.getDocuments(CLINIC_A, PATIENTS, ['p2'])).toHaveLength(1);
      });

      it('refuses field names a document database cannot hold, in any store', async () => {
        const result = await store.push(CLINIC_A, PATIENTS, [
          insertRow(doc('p1', { nested: { 'a.b': 1 } })),
          insertRow(doc('p2', { list: [{ $where: 'x' }] })),
          insertRow(doc('p3')),
        ]);
        expect(result.refused.map((r) => [r.index, r.id])).toEqual([
          [0, 'p1'],
          [1, 'p2'],
        ]);
        expect(result.written).toBe(1);
      });
    });

    describe('conflicts', () => {
      it('applies a push whose assumed master equals the stored state, whatever its key order', async () => {
        const stored = doc('p1', { nested: { x: 1, y: [1, 2] } });
        await store.push(CLINIC_A, PATIENTS, [insertRow(stored)]);
        const reordered: ReplicatedDocument = {
          _deleted: false,
          nested: { y: [1, 2], x: 1 },
          tags: ['a', 'b'],
          rev: 1,
          label: 'doc p1',
          id: 'p1',
          ignoredUndefined: undefined,
        };
        const result = await store.push(CLINIC_A, PATIENTS, [
          updateRow(reordered, doc('p1', { rev: 2 })),
        ]);
        expect(result).toEqual({ conflicts: [], refused: [], written: 1, seq: 2 });
      });

      it('never applies a stale assumed master and answers with the stored state', async () => {
        const v1 = doc('p1');
        const v2 = doc('p1', { rev: 2, label: 'second' });
        await store.push(CLINIC_A, PATIENTS, [insertRow(v1)]);
        await store.push(CLINIC_A, PATIENTS, [updateRow(v1, v2)]);
        const stale = await store.push(CLINIC_A, PATIENTS, [
          updateRow(v1, doc('p1', { rev: 2, label: 'lost update' })),
        ]);
        expect(stale).toEqual({ conflicts: [v2], refused: [], written: 0, seq: 2 });
        expect(await store.getDocuments(CLINIC_A, PATIENTS, ['p1'])).toStrictEqual([v2]);
        expect(await store.currentSeq(CLINIC_A)).toBe(2);
      });

      it('treats any nested difference as a conflict (array order, types, extra fields)', async () => {
        const stored = doc('p1', { tags: ['a', 'b'], nested: { x: 1 } });
        await store.push(CLINIC_A, PATIENTS, [insertRow(stored)]);
        const assumedVariants: ReplicatedDocument[] = [
          doc('p1', { tags: ['b', 'a'] }),
          doc('p1', { nested: { x: '1' } }),
          doc('p1', { nested: { x: 1, extra: null } }),
          { ...stored, _deleted: true },
        ];
        for (const assumed of assumedVariants) {
          const result = await store.push(CLINIC_A, PATIENTS, [
            updateRow(assumed, doc('p1', { rev: 9 })),
          ]);
          expect(result.conflicts).toStrictEqual([stored]);
          expect(result.written).toBe(0);
        }
        expect(await store.getDocuments(CLINIC_A, PATIENTS, ['p1'])).toStrictEqual([stored]);
      });

      it('answers an insert of an existing document with the stored state', async () => {
        const stored = doc('p1');
        await store.push(CLINIC_A, PATIENTS, [insertRow(stored)]);
        const result = await store.push(CLINIC_A, PATIENTS, [insertRow(doc('p1', { rev: 5 }))]);
        expect(result).toEqual({ conflicts: [stored], refused: [], written: 0, seq: 1 });
      });

      it('refuses an update of a document the server does not hold, without writing it', async () => {
        const result = await store.push(CLINIC_A, PATIENTS, [
          updateRow(doc('ghost'), doc('ghost', { rev: 2 })),
          insertRow(doc('p2')),
        ]);
        expect(result.conflicts).toEqual([]);
        expect(result.refused).toEqual([
          { index: 0, id: 'ghost', message: expect.stringContaining('resync') },
        ]);
        expect(result.written).toBe(1);
        expect(await store.getDocuments(CLINIC_A, PATIENTS, ['ghost'])).toEqual([]);
      });

      it('keeps the other rows of a batch when some conflict', async () => {
        await store.push(CLINIC_A, PATIENTS, [insertRow(doc('p1')), insertRow(doc('p2'))]);
        const result = await store.push(CLINIC_A, PATIENTS, [
          updateRow(doc('p1', { rev: 0 }), doc('p1', { rev: 3 })),
          updateRow(doc('p2'), doc('p2', { rev: 2 })),
          insertRow(doc('p3')),
        ]);
        expect(result.conflicts).toStrictEqual([doc('p1')]);
        expect(result.written).toBe(2);
        expect(result.seq).toBe(4);
      });
    });

    describe('write guard', () => {
      it('refuses the rows the guard rejects, applies the rest, and shows it the stored state', async () => {
        const signed = doc('n1', { signed: true });
        await store.push(CLINIC_A, PATIENTS, [insertRow(signed), insertRow(doc('n2'))]);
        const seenCurrent: (ReplicatedDocument | undefined)[] = [];
        const result = await store.push(
          CLINIC_A,
          PATIENTS,
          [
            updateRow(signed, doc('n1', { signed: true, label: 'edited' })),
            updateRow(doc('n2'), doc('n2', { rev: 2 })),
            insertRow(doc('n3')),
          ],
          (row, current) => {
            seenCurrent.push(current);
            return current?.['signed'] === true ? 'a signed note cannot change' : undefined;
          },
        );
        expect(result.refused).toEqual([
          { index: 0, id: 'n1', message: 'a signed note cannot change' },
        ]);
        expect(result.conflicts).toEqual([]);
        expect(result.written).toBe(2);
        expect(seenCurrent).toStrictEqual([signed, doc('n2'), undefined]);
        const stored = byId(await store.getDocuments(CLINIC_A, PATIENTS, ['n1', 'n2', 'n3']));
        expect(stored.get('n1')).toStrictEqual(signed);
        expect(stored.get('n2')?.['rev']).toBe(2);
        expect(stored.has('n3')).toBe(true);
      });

      it('does not ask the guard about conflicting rows', async () => {
        await store.push(CLINIC_A, PATIENTS, [insertRow(doc('p1'))]);
        let asked = 0;
        const result = await store.push(
          CLINIC_A,
          PATIENTS,
          [updateRow(doc('p1', { rev: 0 }), doc('p1', { rev: 2 }))],
          () => {
            asked += 1;
            return undefined;
          },
        );
        expect(asked).toBe(0);
        expect(result.conflicts).toHaveLength(1);
      });
    });

    describe('tombstones and history', () => {
      it('replicates deletions as tombstones', async () => {
        const live = doc('p1');
        await store.push(CLINIC_A, PATIENTS, [insertRow(live)]);
        const tombstone = { ...live, _deleted: true };
        await store.push(CLINIC_A, PATIENTS, [updateRow(live, tombstone)]);
        const page = await store.pull(CLINIC_A, PATIENTS, { seq: 1 }, 10);
        expect(page).toEqual({ documents: [tombstone], checkpoint: { seq: 2 } });
        expect(await store.getDocuments(CLINIC_A, PATIENTS, ['p1'])).toStrictEqual([tombstone]);
      });

      it('purges old tombstones only, and raises the history floor to the highest purged sequence', async () => {
        await store.push(CLINIC_A, PATIENTS, [insertRow(doc('p1')), insertRow(doc('p2'))]);
        await store.push(CLINIC_A, PATIENTS, [
          updateRow(doc('p1'), { ...doc('p1'), _deleted: true }),
        ]);
        await store.push(CLINIC_A, APPOINTMENTS, [insertRow(doc('a1'))]);
        await store.push(CLINIC_A, APPOINTMENTS, [
          updateRow(doc('a1'), { ...doc('a1'), _deleted: true }),
        ]);
        await store.push(CLINIC_A, PATIENTS, [insertRow(doc('p3'))]);
        await store.push(CLINIC_B, PATIENTS, [insertRow(doc('b1'))]);
        await store.push(CLINIC_B, PATIENTS, [
          updateRow(doc('b1'), { ...doc('b1'), _deleted: true }),
        ]);

        expect(await store.historyFloor(CLINIC_A)).toBe(0);
        expect(await store.purgeTombstones(CLINIC_A, '2000-01-01T00:00:00.000Z')).toBe(0);
        expect(await store.historyFloor(CLINIC_A)).toBe(0);

        // Any ISO form of the instant works (here with an offset); garbage is refused.
        await expect(store.purgeTombstones(CLINIC_A, 'yesterday')).rejects.toThrow(RangeError);
        expect(await store.purgeTombstones(CLINIC_A, '2999-01-01T03:00:00+03:00')).toBe(2);
        expect(await store.historyFloor(CLINIC_A)).toBe(5);
        expect((await pullAll(store, CLINIC_A, PATIENTS)).map((d) => d['id'])).toEqual([
          'p2',
          'p3',
        ]);
        expect(await pullAll(store, CLINIC_A, APPOINTMENTS)).toEqual([]);
        expect(await store.currentSeq(CLINIC_A)).toBe(6);
        // Another clinic's tombstones and floor are untouched.
        expect(await store.historyFloor(CLINIC_B)).toBe(0);
        expect(await pullAll(store, CLINIC_B, PATIENTS)).toHaveLength(1);

        // The floor never goes down.
        expect(await store.purgeTombstones(CLINIC_A, '2999-01-01T00:00:00.000Z')).toBe(0);
        expect(await store.historyFloor(CLINIC_A)).toBe(5);
      });
    });

    describe('tenancy', () => {
      it('keeps the same document id in two clinics independent', async () => {
        await store.push(CLINIC_A, PATIENTS, [insertRow(doc('shared-id', { owner: 'A' }))]);
        await store.push(CLINIC_A, PATIENTS, [insertRow(doc('a-only'))]);
        const inB = await store.push(CLINIC_B, PATIENTS, [
          insertRow(doc('shared-id', { owner: 'B' })),
        ]);
        expect(inB).toEqual({ conflicts: [], refused: [], written: 1, seq: 1 });
        expect(await store.currentSeq(CLINIC_A)).toBe(2);
        expect(await store.currentSeq(CLINIC_B)).toBe(1);

        const fromB = await pullAll(store, CLINIC_B, PATIENTS);
        expect(fromB).toStrictEqual([doc('shared-id', { owner: 'B' })]);
        expect(await store.getDocuments(CLINIC_B, PATIENTS, ['a-only', 'shared-id'])).toStrictEqual(
          [doc('shared-id', { owner: 'B' })],
        );
        // B's update of its copy never touches A's.
        await store.push(CLINIC_B, PATIENTS, [
          updateRow(doc('shared-id', { owner: 'B' }), doc('shared-id', { owner: 'B', rev: 2 })),
        ]);
        expect(await store.getDocuments(CLINIC_A, PATIENTS, ['shared-id'])).toStrictEqual([
          doc('shared-id', { owner: 'A' }),
        ]);
        // A's stale view of its own copy conflicts with A's state, not B's.
        const conflict = await store.push(CLINIC_A, PATIENTS, [
          updateRow(doc('shared-id', { owner: 'B', rev: 2 }), doc('shared-id', { rev: 3 })),
        ]);
        expect(conflict.conflicts).toStrictEqual([doc('shared-id', { owner: 'A' })]);
      });

      it('refuses to write for a clinic it does not know', async () => {
        await expect(store.push('no-such-clinic', PATIENTS, [insertRow(doc('x'))])).rejects.toThrow(
          UnknownClinicError,
        );
        expect(await store.currentSeq('no-such-clinic')).toBe(0);
        expect(await store.historyFloor('no-such-clinic')).toBe(0);
      });
    });

    describe('clinics', () => {
      it('creates, reads and lists clinics; a duplicate id is refused', async () => {
        expect(await store.getClinic(CLINIC_A)).toEqual(clinic(CLINIC_A));
        expect(await store.getClinic('nope')).toBeNull();
        expect((await store.listClinics()).map((c) => c.id).sort()).toEqual([CLINIC_A, CLINIC_B]);
        await expect(store.createClinic(clinic(CLINIC_A))).rejects.toThrow(StoreDuplicateError);
      });
    });

    describe('users', () => {
      it('finds users by email case-insensitively, only in their clinic', async () => {
        const ana = user(CLINIC_A, 'u1', 'Ana.Dentist@Example.com');
        await store.createUser(ana);
        expect(await store.findUserByEmail(CLINIC_A, 'ana.dentist@example.COM')).toEqual(ana);
        expect(await store.findUserByEmail(CLINIC_B, 'ana.dentist@example.com')).toBeNull();
        expect(await store.getUser(CLINIC_A, 'u1')).toEqual(ana);
        expect(await store.getUser(CLINIC_B, 'u1')).toBeNull();
      });

      it('keeps emails unique per clinic, compared lower-cased, but allows one in each clinic', async () => {
        await store.createUser(user(CLINIC_A, 'u1', 'front@example.com'));
        const duplicate = store.createUser(user(CLINIC_A, 'u2', 'FRONT@example.com'));
        await expect(duplicate).rejects.toThrow(StoreDuplicateError);
        await store.createUser(user(CLINIC_B, 'u3', 'front@example.com'));
        expect((await store.listUsers(CLINIC_A)).map((u) => u.id)).toEqual(['u1']);
        expect((await store.listUsers(CLINIC_B)).map((u) => u.id)).toEqual(['u3']);
      });

      it('refuses a user for an unknown clinic', async () => {
        await expect(
          store.createUser(user('no-such-clinic', 'u9', 'x@example.com')),
        ).rejects.toThrow(UnknownClinicError);
      });

      it('disables users and changes passwords only within their clinic', async () => {
        await store.createUser(user(CLINIC_A, 'u1', 'a@example.com'));
        expect(await store.setUserDisabled(CLINIC_B, 'u1', true)).toBe(false);
        expect(await store.setUserDisabled(CLINIC_A, 'u1', true)).toBe(true);
        expect((await store.getUser(CLINIC_A, 'u1'))?.disabled).toBe(true);
        expect(await store.setUserDisabled(CLINIC_A, 'u1', false)).toBe(true);
        expect((await store.getUser(CLINIC_A, 'u1'))?.disabled).toBe(false);
        expect(await store.setUserPassword(CLINIC_B, 'u1', 'other')).toBe(false);
        expect(await store.setUserPassword(CLINIC_A, 'u1', '$argon2id$new')).toBe(true);
        expect((await store.getUser(CLINIC_A, 'u1'))?.passwordHash).toBe('$argon2id$new');
        expect(await store.setUserDisabled(CLINIC_A, 'missing', true)).toBe(false);
      });
    });

    describe('devices', () => {
      it('registers, updates, lists and revokes devices per clinic', async () => {
        await store.upsertDevice(device(CLINIC_A, 'd1'));
        await store.upsertDevice(device(CLINIC_A, 'd2', { createdAt: '2025-01-04T00:00:00.000Z' }));
        await store.upsertDevice(
          device(CLINIC_A, 'd1', { lastSeenAt: '2025-02-01T00:00:00.000Z', name: 'Renamed' }),
        );
        expect(await store.getDevice(CLINIC_A, 'd1')).toEqual(
          device(CLINIC_A, 'd1', { lastSeenAt: '2025-02-01T00:00:00.000Z', name: 'Renamed' }),
        );
        expect(await store.getDevice(CLINIC_B, 'd1')).toBeNull();
        expect((await store.listDevices(CLINIC_A)).map((d) => d.id)).toEqual(['d1', 'd2']);
        expect(await store.listDevices(CLINIC_B)).toEqual([]);

        expect(await store.revokeDevice(CLINIC_B, 'd1', '2025-03-01T00:00:00.000Z')).toBe(false);
        expect(await store.revokeDevice(CLINIC_A, 'd1', '2025-03-01T00:00:00.000Z')).toBe(true);
        expect((await store.getDevice(CLINIC_A, 'd1'))?.revokedAt).toBe('2025-03-01T00:00:00.000Z');
        expect(await store.revokeDevice(CLINIC_A, 'missing', '2025-03-01T00:00:00.000Z')).toBe(
          false,
        );
      });

      it('keeps a revoked device revoked when it is upserted again', async () => {
        await store.upsertDevice(device(CLINIC_A, 'd1'));
        await store.revokeDevice(CLINIC_A, 'd1', '2025-03-01T00:00:00.000Z');
        await store.upsertDevice(
          device(CLINIC_A, 'd1', { lastSeenAt: '2025-04-01T00:00:00.000Z' }),
        );
        const stored = await store.getDevice(CLINIC_A, 'd1');
        expect(stored?.revokedAt).toBe('2025-03-01T00:00:00.000Z');
        expect(stored?.lastSeenAt).toBe('2025-04-01T00:00:00.000Z');
      });

      it('never lets another clinic take over a device id', async () => {
        await store.upsertDevice(device(CLINIC_A, 'd1'));
        await expect(
          store.upsertDevice(device(CLINIC_B, 'd1', { name: 'hijack' })),
        ).rejects.toThrow(DeviceClinicMismatchError);
        expect((await store.getDevice(CLINIC_A, 'd1'))?.name).toBe('Front desk PC d1');
      });
    });

    describe('refresh tokens', () => {
      it('stores a token, and marks it used exactly once', async () => {
        await store.insertRefreshToken(refreshToken('h1', 'f1'));
        expect(await store.findRefreshToken('h1')).toEqual(refreshToken('h1', 'f1'));
        expect(await store.findRefreshToken('unknown')).toBeNull();
        expect(await store.markRefreshTokenUsed('h1', '2025-05-01T00:00:00.000Z')).toBe(true);
        expect(await store.markRefreshTokenUsed('h1', '2025-05-02T00:00:00.000Z')).toBe(false);
        expect((await store.findRefreshToken('h1'))?.usedAt).toBe('2025-05-01T00:00:00.000Z');
        expect(await store.markRefreshTokenUsed('unknown', '2025-05-02T00:00:00.000Z')).toBe(false);
        await expect(store.insertRefreshToken(refreshToken('h1', 'f1'))).rejects.toThrow(
          StoreDuplicateError,
        );
      });

      it('lets only one of two simultaneous exchanges of a token win', async () => {
        await store.insertRefreshToken(refreshToken('h1', 'f1'));
        const outcomes = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.markRefreshTokenUsed('h1', `2025-05-01T00:00:0${i}.000Z`),
          ),
        );
        expect(outcomes.filter(Boolean)).toHaveLength(1);
      });

      it('revokes a whole family, and all tokens of a device, and nothing else', async () => {
        await store.insertRefreshToken(refreshToken('h1', 'f1'));
        await store.insertRefreshToken(refreshToken('h2', 'f1'));
        await store.insertRefreshToken(refreshToken('h3', 'f2'));
        await store.insertRefreshToken(refreshToken('h4', 'f3', 'dev-2'));
        await store.revokeRefreshFamily('f1', '2025-06-01T00:00:00.000Z');
        expect((await store.findRefreshToken('h1'))?.revokedAt).toBe('2025-06-01T00:00:00.000Z');
        expect((await store.findRefreshToken('h2'))?.revokedAt).toBe('2025-06-01T00:00:00.000Z');
        expect((await store.findRefreshToken('h3'))?.revokedAt).toBeNull();
        await store.revokeDeviceTokens(CLINIC_B, 'dev-2', '2025-06-02T00:00:00.000Z');
        expect((await store.findRefreshToken('h4'))?.revokedAt).toBeNull();
        await store.revokeDeviceTokens(CLINIC_A, 'dev-2', '2025-06-02T00:00:00.000Z');
        expect((await store.findRefreshToken('h4'))?.revokedAt).toBe('2025-06-02T00:00:00.000Z');
        expect((await store.findRefreshToken('h3'))?.revokedAt).toBeNull();
        // An earlier revocation time is kept.
        await store.revokeRefreshFamily('f1', '2025-07-01T00:00:00.000Z');
        expect((await store.findRefreshToken('h1'))?.revokedAt).toBe('2025-06-01T00:00:00.000Z');
      });
    });

    describe('operations', () => {
      it('answers ping while open', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        expect(typeof store.kind).toBe('string');
      });
    });

    describe('concurrency', () => {
      it(
        'never lets a puller miss a change under many concurrent pushers',
        async () => {
          await runConcurrencyProof(subject, options);
        },
        options.concurrencyTimeoutMs ?? 60_000,
      );
    });
  });
}

/**
 * Pushers (spread over two store handles when the store has peers, like two server instances)
 * write overlapping documents of two collections, retrying on conflicts the way RxDB does, while
 * pullers page through the change feed with small limits. If any write became visible under a
 * sequence lower than one a puller had already passed, that puller would never see it and its
 * replayed state would differ from the store.
 */
async function runConcurrencyProof(
  subject: StoreUnderTest,
  options: StoreContractOptions,
): Promise<void> {
  const pusherCount = options.pushers ?? 8;
  const pushesPerPusher = options.pushesPerPusher ?? 50;
  const pullerCount = options.pullers ?? 3;
  const collections = [PATIENTS, APPOINTMENTS];
  const idsPerCollection = 24;
  const peer = subject.openPeer ? await subject.openPeer() : undefined;
  const handles = peer ? [subject.store, peer] : [subject.store];
  const handle = (n: number): SyncStore => handles[n % handles.length]!;

  let pushersDone = false;
  let writes = 0;

  const pusher = async (p: number): Promise<void> => {
    const store = handle(p);
    let random = p * 7919 + 1;
    const next = (bound: number): number => {
      random = (random * 48271) % 2147483647;
      return random % bound;
    };
    for (let i = 0; i < pushesPerPusher; i += 1) {
      const collection = collections[next(collections.length)]!;
      const ids = [...new Set([`d${next(idsPerCollection)}`, `d${next(idsPerCollection)}`])];
      let assumed = new Map(
        (await store.getDocuments(CLINIC_A, collection, ids)).map((d) => [d['id'] as string, d]),
      );
      for (let attempt = 0; ; attempt += 1) {
        const rows = ids.map((id): PushRow => {
          const current = assumed.get(id);
          const rev = ((current?.['rev'] as number | undefined) ?? 0) + 1;
          return {
            newDocumentState: {
              id,
              rev,
              writer: `p${p}-${i}`,
              _deleted: next(10) === 0,
            },
            assumedMasterState: current,
          };
        });
        const result = await store.push(CLINIC_A, collection, rows);
        expect(result.refused).toEqual([]);
        writes += result.written;
        if (result.conflicts.length === 0) break;
        if (attempt > 50) throw new Error('a pusher kept conflicting');
        // Retry only the conflicting rows, on top of the master states the store answered with.
        const conflicted = byId(result.conflicts);
        ids.splice(0, ids.length, ...ids.filter((id) => conflicted.has(id)));
        assumed = conflicted;
      }
    }
  };

  const puller = async (n: number) => {
    const store = handle(n + 1);
    const state = new Map<string, Map<string, ReplicatedDocument>>(
      collections.map((c) => [c, new Map()]),
    );
    const checkpoints = new Map(collections.map((c) => [c, 0]));
    const limit = 3 + n;
    let pulls = 0;
    const pullCollection = async (collection: string): Promise<number> => {
      const since = checkpoints.get(collection)!;
      const page = await store.pull(CLINIC_A, collection, { seq: since }, limit);
      pulls += 1;
      const docs = state.get(collection)!;
      for (const d of page.documents) {
        const previous = docs.get(d['id'] as string);
        // Each id's revisions only ever go forward in the feed.
        if (previous) expect(d['rev'] as number).toBeGreaterThan(previous['rev'] as number);
        docs.set(d['id'] as string, d);
      }
      if (page.documents.length > 0) expect(page.checkpoint.seq).toBeGreaterThan(since);
      else expect(page.checkpoint.seq).toBe(since);
      checkpoints.set(collection, page.checkpoint.seq);
      return page.documents.length;
    };
    while (!pushersDone) {
      for (const collection of collections) await pullCollection(collection);
    }
    // Catch up after the last push; by then no write is in flight.
    for (const collection of collections) {
      while ((await pullCollection(collection)) > 0) {
        /* page on */
      }
    }
    return { state, pulls };
  };

  const pushing = Promise.all(Array.from({ length: pusherCount }, (_, p) => pusher(p))).finally(
    () => {
      pushersDone = true;
    },
  );
  const pulling = Promise.all(Array.from({ length: pullerCount }, (_, n) => puller(n)));
  const [, pullers] = await Promise.all([pushing, pulling]);

  expect(writes).toBeGreaterThanOrEqual(pusherCount * pushesPerPusher);
  expect(await subject.store.currentSeq(CLINIC_A)).toBe(writes);
  for (const collection of collections) {
    const truth = byId(await pullAll(subject.store, CLINIC_A, collection));
    expect(truth.size).toBeGreaterThan(0);
    const viaGet = byId(
      await subject.store.getDocuments(
        CLINIC_A,
        collection,
        Array.from({ length: idsPerCollection }, (_, i) => `d${i}`),
      ),
    );
    expect(viaGet).toEqual(truth);
    for (const { state, pulls } of pullers) {
      expect(pulls).toBeGreaterThan(collections.length);
      expect(state.get(collection)).toEqual(truth);
    }
  }
  await peer?.close();
}
