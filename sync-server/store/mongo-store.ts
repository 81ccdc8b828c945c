// The MongoDB store (official driver). Commit order must equal sequence order for every clinic,
// from one server instance or several:
// - on a replica set, each push is one transaction that bumps the clinic document first, so two
//   pushes of a clinic conflict and MongoDB retries the later one;
// - where transactions do not exist (FerretDB 1.x, a standalone mongod), a clinic's writes are
//   serialized by an in-process queue plus a lease lock document per clinic (mongo-lease.ts),
//   which serializes several instances too.
// In both modes pull only returns documents at or below the clinic's `committedSeq`, a watermark
// published after a batch's writes finished, so a puller never passes a sequence that is still
// being written.
import {
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type ClientSession,
  type Collection,
  type Db,
  type Document,
  type IndexDescription,
} from 'mongodb';
import { ClinicLeases, type ClinicCounters, type ClinicLockDoc } from './mongo-lease';
import { DeviceClinicMismatchError, StoreDuplicateError, UnknownClinicError } from './errors';
import {
  assertPullLimit,
  checkpointSeq,
  decidePushRow,
  emailKey,
  normalizeInstant,
  primaryPathOf,
  pullResult,
  rowDocumentId,
  type PrimaryPaths,
} from './push-rules';
import type {
  Clinic,
  Device,
  PushResult,
  PushRow,
  RefreshTokenRecord,
  RefusedRow,
  ReplicatedDocument,
  SyncStore,
  User,
  WriteGuard,
} from './types';

export interface MongoStoreOptions {
  readonly url: string;
  readonly dbName: string;
  readonly maxPoolSize?: number | undefined;
  readonly minPoolSize?: number | undefined;
  readonly serverSelectionTimeoutMs?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
  readonly socketTimeoutMs?: number | undefined;
  /** Collections whose primary key is not `id`. */
  readonly primaryPaths?: PrimaryPaths | undefined;
  /** 'auto' (default) uses transactions when the deployment has them. */
  readonly writeMode?: 'auto' | MongoWriteMode;
  /** How long a lease on a clinic's writes lasts (lease mode). Default 30 s. */
  readonly leaseMs?: number;
  /** How long a push waits for another instance's lease before failing. Default 30 s. */
  readonly lockWaitMs?: number;
  /** Server time for tombstone ages; tests move it. */
  readonly now?: () => Date;
}

/** How writes of one clinic are serialized. */
export type MongoWriteMode = 'transactions' | 'lease';

export interface MongoSyncStore extends SyncStore {
  readonly writeMode: MongoWriteMode;
}

interface ClinicDoc {
  _id: string;
  name: string;
  timeZone: string;
  currency: string;
  createdAt: string;
  /** Highest sequence handed out (reserved before a batch's writes). */
  seq: number;
  /** Every sequence at or below is fully written: pulls never look above it. */
  committedSeq: number;
  historyFloor: number;
  /** Bumped at the start of each transaction so concurrent pushes of a clinic conflict early. */
  txTicket: number;
}

/** Records that a refresh token was exchanged; its unique _id makes the exchange single-use. */
interface RefreshTokenUseDoc {
  _id: string;
  at: string;
}

interface StoredDoc {
  clinicId: string;
  collection: string;
  docId: string;
  seq: number;
  deleted: boolean;
  updatedAt: string;
  /** The document exactly as pushed (after the JSON round trip every store applies). */
  doc: ReplicatedDocument;
}

interface UserDoc {
  _id: string;
  clinicId: string;
  email: string;
  emailKey: string;
  name: string;
  role: User['role'];
  passwordHash: string;
  disabled: boolean;
  providerId: string | null;
  createdAt: string;
}

interface DeviceDoc {
  _id: string;
  clinicId: string;
  userId: string;
  name: string;
  createdAt: string;
  lastSeenAt: string;
  revokedAt: string | null;
}

interface RefreshTokenDoc {
  _id: string;
  familyId: string;
  clinicId: string;
  userId: string;
  deviceId: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === DUPLICATE_KEY;

const clinicFromDoc = (doc: ClinicDoc): Clinic => ({
  id: doc._id,
  name: doc.name,
  timeZone: doc.timeZone,
  currency: doc.currency,
  createdAt: doc.createdAt,
});
const userFromDoc = (doc: UserDoc): User => ({
  id: doc._id,
  clinicId: doc.clinicId,
  email: doc.email,
  name: doc.name,
  role: doc.role,
  passwordHash: doc.passwordHash,
  disabled: doc.disabled,
  providerId: doc.providerId,
  createdAt: doc.createdAt,
});
const deviceFromDoc = (doc: DeviceDoc): Device => ({
  id: doc._id,
  clinicId: doc.clinicId,
  userId: doc.userId,
  name: doc.name,
  createdAt: doc.createdAt,
  lastSeenAt: doc.lastSeenAt,
  revokedAt: doc.revokedAt,
});
const refreshTokenFromDoc = (doc: RefreshTokenDoc): RefreshTokenRecord => ({
  tokenHash: doc._id,
  familyId: doc.familyId,
  clinicId: doc.clinicId,
  userId: doc.userId,
  deviceId: doc.deviceId,
  expiresAt: doc.expiresAt,
  usedAt: doc.usedAt,
  revokedAt: doc.revokedAt,
});

/** Runs tasks for one key one at a time, in arrival order. */
class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** What a batch will write, decided against the stored states before anything is written. */
interface BatchPlan {
  readonly conflicts: ReplicatedDocument[];
  readonly refused: RefusedRow[];
  readonly operations: AnyBulkWriteOperation<StoredDoc>[];
  readonly written: number;
}

/** A deployment has transactions only as a replica set member or through mongos, and FerretDB
 * may claim a set name without them, so a set name is confirmed by running one transaction. */
async function detectWriteMode(client: MongoClient, db: Db): Promise<MongoWriteMode> {
  const hello = await db.admin().command({ hello: 1 });
  const replicated = typeof hello['setName'] === 'string' || hello['msg'] === 'isdbgrid';
  if (!replicated) return 'lease';
  const session = client.startSession();
  try {
    await session.withTransaction(async () => {
      await db
        .collection<{ _id: string; at: Date }>('store_meta')
        .updateOne(
          { _id: 'transaction-probe' },
          { $set: { at: new Date() } },
          { upsert: true, session },
        );
    });
    return 'transactions';
  } catch {
    return 'lease';
  } finally {
    await session.endSession();
  }
}

/**
 * Creates the indexes a collection lacks. Asking for existing ones again is harmless on MongoDB
 * but crashes the connection on FerretDB 1.24 (a second server instance would hit it), so only
 * missing names are sent.
 */
async function ensureIndexes<T extends Document>(
  collection: Collection<T>,
  specs: readonly IndexDescription[],
): Promise<void> {
  let existing: string[] = [];
  try {
    existing = (await collection.listIndexes().toArray()).map((index) => String(index['name']));
  } catch (error) {
    // A collection that does not exist yet has no indexes.
    if (!(error instanceof MongoServerError && error.codeName === 'NamespaceNotFound')) throw error;
  }
  const missing = specs.filter((spec) => !existing.includes(spec.name ?? ''));
  if (missing.length > 0) await collection.createIndexes([...missing]);
}

export async function openMongoStore(options: MongoStoreOptions): Promise<MongoSyncStore> {
  const client = new MongoClient(options.url, {
    maxPoolSize: options.maxPoolSize ?? 20,
    minPoolSize: options.minPoolSize ?? 0,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
    connectTimeoutMS: options.connectTimeoutMs ?? 10_000,
    socketTimeoutMS: options.socketTimeoutMs ?? 0,
    // An acknowledged push must survive a crash of the database too.
    writeConcern: { w: 'majority', journal: true },
  });
  await client.connect();
  try {
    const db = client.db(options.dbName);
    const writeMode =
      options.writeMode === undefined || options.writeMode === 'auto'
        ? await detectWriteMode(client, db)
        : options.writeMode;
    const store = await createMongoStore(client, db, writeMode, options);
    return store;
  } catch (error) {
    await client.close();
    throw error;
  }
}

async function createMongoStore(
  client: MongoClient,
  db: Db,
  writeMode: MongoWriteMode,
  options: MongoStoreOptions,
): Promise<MongoSyncStore> {
  const clinics: Collection<ClinicDoc> = db.collection('clinics');
  const documents: Collection<StoredDoc> = db.collection('documents');
  const users: Collection<UserDoc> = db.collection('users');
  const devices: Collection<DeviceDoc> = db.collection('devices');
  const refreshTokens: Collection<RefreshTokenDoc> = db.collection('refresh_tokens');
  const refreshTokenUses: Collection<RefreshTokenUseDoc> = db.collection('refresh_token_uses');
  const clinicLocks: Collection<ClinicLockDoc> = db.collection('clinic_locks');

  await ensureIndexes(documents, [
    { key: { clinicId: 1, collection: 1, docId: 1 }, name: 'by_id', unique: true },
    { key: { clinicId: 1, collection: 1, seq: 1 }, name: 'by_seq' },
    // A sequence is never handed out twice, even by a writer that lost its lease.
    { key: { clinicId: 1, seq: 1 }, name: 'unique_seq', unique: true },
    { key: { clinicId: 1, deleted: 1, updatedAt: 1 }, name: 'tombstones_by_age' },
  ]);
  await ensureIndexes(users, [
    { key: { clinicId: 1, emailKey: 1 }, name: 'by_email', unique: true },
  ]);
  await ensureIndexes(devices, [{ key: { clinicId: 1 }, name: 'by_clinic' }]);
  await ensureIndexes(refreshTokens, [
    { key: { familyId: 1 }, name: 'by_family' },
    { key: { clinicId: 1, deviceId: 1 }, name: 'by_device' },
  ]);

  const now = options.now ?? (() => new Date());
  const clinicMutex = new KeyedMutex();

  const clinicExists = async (clinicId: string): Promise<boolean> =>
    (await clinics.countDocuments({ _id: clinicId }, { limit: 1 })) > 0;

  /**
   * Reads the stored states of the batch's documents and decides every row in order, as if each
   * earlier row of the batch were already written. Sequences are base+1, base+2...
   */
  const planBatch = async (
    clinicId: string,
    collection: string,
    rows: readonly PushRow[],
    guard: WriteGuard | undefined,
    base: number,
    session?: ClientSession,
  ): Promise<BatchPlan> => {
    const primaryPath = primaryPathOf(options.primaryPaths, collection);
    const rowIds = rows.map((row, index) => rowDocumentId(row, index, primaryPath));
    const ids = [...new Set(rowIds.flatMap((r) => ('id' in r ? [r.id] : [])))];
    const known = new Map<string, { seq: number; doc: ReplicatedDocument }>();
    if (ids.length > 0) {
      const stored = documents.find(
        { clinicId, collection, docId: { $in: ids } },
        { projection: { _id: 0, docId: 1, seq: 1, doc: 1 }, ...(session ? { session } : {}) },
      );
      for await (const row of stored) known.set(row.docId, { seq: row.seq, doc: row.doc });
    }
    const updatedAt = now().toISOString();
    const plan: BatchPlan = { conflicts: [], refused: [], operations: [], written: 0 };
    let written = 0;
    rows.forEach((row, index) => {
      const rowId = rowIds[index]!;
      if ('refused' in rowId) {
        plan.refused.push(rowId.refused);
        return;
      }
      const current = known.get(rowId.id);
      const decision = decidePushRow(row, current?.doc, guard);
      if (decision.kind === 'conflict') plan.conflicts.push(decision.master);
      else if (decision.kind === 'refused') {
        plan.refused.push({ index, id: rowId.id, message: decision.message });
      } else {
        written += 1;
        const seq = base + written;
        const doc = JSON.parse(decision.json) as ReplicatedDocument;
        const fields = { seq, deleted: decision.deleted, updatedAt, doc };
        // Fenced on the sequence read above: a writer that lost its lease cannot overwrite.
        plan.operations.push(
          current === undefined
            ? { insertOne: { document: { clinicId, collection, docId: rowId.id, ...fields } } }
            : {
                updateOne: {
                  filter: { clinicId, collection, docId: rowId.id, seq: current.seq },
                  update: { $set: fields },
                },
              },
        );
        known.set(rowId.id, { seq, doc });
      }
    });
    return { ...plan, written };
  };

  const applyOperations = async (plan: BatchPlan, session?: ClientSession): Promise<void> => {
    if (plan.operations.length === 0) return;
    const result = await documents.bulkWrite(plan.operations, {
      ordered: true,
      ...(session ? { session } : {}),
    });
    if (result.insertedCount + result.matchedCount !== plan.operations.length) {
      throw new Error('a concurrent writer changed documents of this clinic during the push');
    }
  };

  // --- Lease mode ---------------------------------------------------------------------------
  const highestWrittenSeq = async (clinicId: string): Promise<number> => {
    const newest = await documents.findOne(
      { clinicId },
      { sort: { seq: -1 }, projection: { _id: 0, seq: 1 } },
    );
    return newest?.seq ?? 0;
  };
  const leases = new ClinicLeases({
    clinics: clinics as unknown as Collection<ClinicCounters>,
    locks: clinicLocks,
    highestWrittenSeq,
    leaseMs: options.leaseMs ?? 30_000,
    lockWaitMs: options.lockWaitMs ?? 30_000,
  });

  const pushWithLease = (
    clinicId: string,
    collection: string,
    rows: readonly PushRow[],
    guard: WriteGuard | undefined,
  ): Promise<PushResult> =>
    leases.run(clinicId, async (lease) => {
      const plan = await planBatch(clinicId, collection, rows, guard, lease.seq);
      if (plan.written > 0) {
        // Handed out before writing: a write that fails halfway never gets its sequences reused.
        lease.seq += plan.written;
        try {
          await applyOperations(plan);
        } catch (error) {
          await lease.recover();
          throw error;
        }
        await lease.publish();
      }
      return {
        conflicts: plan.conflicts,
        refused: plan.refused,
        written: plan.written,
        seq: lease.seq,
      };
    });

  // --- Transaction mode ---------------------------------------------------------------------
  const inTransaction = async <T>(work: (session: ClientSession) => Promise<T>): Promise<T> => {
    const session = client.startSession();
    try {
      return await session.withTransaction(work, {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority', journal: true },
      });
    } finally {
      await session.endSession();
    }
  };

  /** The clinic document, write-locked for the rest of the transaction. */
  const lockClinicInTransaction = async (clinicId: string, session: ClientSession) => {
    const clinic = await clinics.findOneAndUpdate(
      { _id: clinicId },
      { $inc: { txTicket: 1 } },
      { returnDocument: 'after', session },
    );
    if (clinic === null) throw new UnknownClinicError(clinicId);
    return clinic;
  };

  const pushInTransaction = (
    clinicId: string,
    collection: string,
    rows: readonly PushRow[],
    guard: WriteGuard | undefined,
  ): Promise<PushResult> =>
    inTransaction(async (session) => {
      const clinic = await lockClinicInTransaction(clinicId, session);
      const base = Math.max(clinic.seq, clinic.committedSeq);
      const plan = await planBatch(clinicId, collection, rows, guard, base, session);
      const seq = base + plan.written;
      if (plan.written > 0) {
        await applyOperations(plan, session);
        await clinics.updateOne(
          { _id: clinicId },
          { $set: { seq, committedSeq: seq } },
          { session },
        );
      }
      return { conflicts: plan.conflicts, refused: plan.refused, written: plan.written, seq };
    });

  // --- Purge ----------------------------------------------------------------------------------
  const purgeFilter = (clinicId: string, before: string, maxSeq: number) => ({
    clinicId,
    deleted: true,
    updatedAt: { $lt: before },
    seq: { $lte: maxSeq },
  });

  /** The floor goes up before the tombstones go: a crash in between only forces a resync. */
  const purgeUnderLock = async (clinicId: string, before: string, session?: ClientSession) => {
    const sessionOption = session ? { session } : {};
    const newest = await documents.findOne(
      { clinicId, deleted: true, updatedAt: { $lt: before } },
      { sort: { seq: -1 }, projection: { seq: 1 }, ...sessionOption },
    );
    if (newest === null) return 0;
    await clinics.updateOne(
      { _id: clinicId },
      { $max: { historyFloor: newest.seq } },
      sessionOption,
    );
    const removed = await documents.deleteMany(
      purgeFilter(clinicId, before, newest.seq),
      sessionOption,
    );
    return removed.deletedCount;
  };

  const store: MongoSyncStore = {
    kind: 'mongodb',
    writeMode,

    async pull(clinicId, collection, checkpoint, limit) {
      assertPullLimit(limit);
      const since = checkpointSeq(checkpoint);
      const clinic = await clinics.findOne({ _id: clinicId }, { projection: { committedSeq: 1 } });
      const committed = clinic?.committedSeq ?? 0;
      if (committed <= since) return { documents: [], checkpoint: { seq: since } };
      const rows = await documents
        .find(
          { clinicId, collection, seq: { $gt: since, $lte: committed } },
          { projection: { _id: 0, seq: 1, doc: 1 } },
        )
        .sort({ seq: 1 })
        .limit(limit)
        .toArray();
      return pullResult(rows, since);
    },

    push(clinicId, collection, rows, guard) {
      return writeMode === 'transactions'
        ? clinicMutex.run(clinicId, () => pushInTransaction(clinicId, collection, rows, guard))
        : pushWithLease(clinicId, collection, rows, guard);
    },

    async getDocuments(clinicId, collection, ids) {
      if (ids.length === 0) return [];
      const rows = await documents
        .find(
          { clinicId, collection, docId: { $in: [...ids] } },
          { projection: { _id: 0, doc: 1 } },
        )
        .toArray();
      return rows.map((row) => row.doc);
    },

    async currentSeq(clinicId) {
      const clinic = await clinics.findOne({ _id: clinicId }, { projection: { committedSeq: 1 } });
      return clinic?.committedSeq ?? 0;
    },

    async purgeTombstones(clinicId, before) {
      const cutoff = normalizeInstant(before);
      if (!(await clinicExists(clinicId))) return 0;
      if (writeMode === 'lease')
        return leases.run(clinicId, () => purgeUnderLock(clinicId, cutoff));
      return clinicMutex.run(clinicId, () =>
        inTransaction(async (session) => {
          await lockClinicInTransaction(clinicId, session);
          return purgeUnderLock(clinicId, cutoff, session);
        }),
      );
    },

    async historyFloor(clinicId) {
      const clinic = await clinics.findOne({ _id: clinicId }, { projection: { historyFloor: 1 } });
      return clinic?.historyFloor ?? 0;
    },

    async createClinic(clinic) {
      try {
        await clinics.insertOne({
          _id: clinic.id,
          name: clinic.name,
          timeZone: clinic.timeZone,
          currency: clinic.currency,
          createdAt: clinic.createdAt,
          seq: 0,
          committedSeq: 0,
          historyFloor: 0,
          txTicket: 0,
        });
      } catch (error) {
        if (isDuplicateKey(error)) {
          throw new StoreDuplicateError('clinic', `clinic ${clinic.id} already exists`, {
            cause: error,
          });
        }
        throw error;
      }
    },

    async getClinic(clinicId) {
      const doc = await clinics.findOne({ _id: clinicId });
      return doc === null ? null : clinicFromDoc(doc);
    },

    async listClinics() {
      const docs = await clinics.find({}).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(clinicFromDoc);
    },

    async createUser(user) {
      if (!(await clinicExists(user.clinicId))) throw new UnknownClinicError(user.clinicId);
      try {
        await users.insertOne({
          _id: user.id,
          clinicId: user.clinicId,
          email: user.email,
          emailKey: emailKey(user.email),
          name: user.name,
          role: user.role,
          passwordHash: user.passwordHash,
          disabled: user.disabled,
          providerId: user.providerId,
          createdAt: user.createdAt,
        });
      } catch (error) {
        if (isDuplicateKey(error)) {
          throw new StoreDuplicateError(
            'user',
            `a user with that email or id already exists in clinic ${user.clinicId}`,
            { cause: error },
          );
        }
        throw error;
      }
    },

    async findUserByEmail(clinicId, email) {
      const doc = await users.findOne({ clinicId, emailKey: emailKey(email) });
      return doc === null ? null : userFromDoc(doc);
    },

    async getUser(clinicId, userId) {
      const doc = await users.findOne({ _id: userId, clinicId });
      return doc === null ? null : userFromDoc(doc);
    },

    async listUsers(clinicId) {
      const docs = await users.find({ clinicId }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(userFromDoc);
    },

    async setUserDisabled(clinicId, userId, disabled) {
      const result = await users.updateOne({ _id: userId, clinicId }, { $set: { disabled } });
      return result.matchedCount === 1;
    },

    async setUserPassword(clinicId, userId, passwordHash) {
      const result = await users.updateOne({ _id: userId, clinicId }, { $set: { passwordHash } });
      return result.matchedCount === 1;
    },

    async upsertDevice(device) {
      const existing = await devices.findOne({ _id: device.id });
      if (existing === null) {
        if (!(await clinicExists(device.clinicId))) throw new UnknownClinicError(device.clinicId);
        try {
          await devices.insertOne({
            _id: device.id,
            clinicId: device.clinicId,
            userId: device.userId,
            name: device.name,
            createdAt: device.createdAt,
            lastSeenAt: device.lastSeenAt,
            revokedAt: device.revokedAt,
          });
          return;
        } catch (error) {
          // Registered concurrently: fall through to the update below.
          if (!isDuplicateKey(error)) throw error;
        }
      }
      const updated = await devices.updateOne(
        { _id: device.id, clinicId: device.clinicId },
        { $set: { userId: device.userId, name: device.name, lastSeenAt: device.lastSeenAt } },
      );
      if (updated.matchedCount !== 1) throw new DeviceClinicMismatchError(device.id);
      // Revocation is sticky: an upsert may revoke, never un-revoke.
      if (device.revokedAt !== null) {
        await devices.updateOne(
          { _id: device.id, clinicId: device.clinicId, revokedAt: null },
          { $set: { revokedAt: device.revokedAt } },
        );
      }
    },

    async getDevice(clinicId, deviceId) {
      const doc = await devices.findOne({ _id: deviceId, clinicId });
      return doc === null ? null : deviceFromDoc(doc);
    },

    async listDevices(clinicId) {
      const docs = await devices.find({ clinicId }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(deviceFromDoc);
    },

    async revokeDevice(clinicId, deviceId, at) {
      await devices.updateOne(
        { _id: deviceId, clinicId, revokedAt: null },
        { $set: { revokedAt: at } },
      );
      return (await devices.countDocuments({ _id: deviceId, clinicId }, { limit: 1 })) > 0;
    },

    async insertRefreshToken(token) {
      try {
        await refreshTokens.insertOne({
          _id: token.tokenHash,
          familyId: token.familyId,
          clinicId: token.clinicId,
          userId: token.userId,
          deviceId: token.deviceId,
          expiresAt: token.expiresAt,
          usedAt: token.usedAt,
          revokedAt: token.revokedAt,
        });
      } catch (error) {
        if (isDuplicateKey(error)) {
          throw new StoreDuplicateError('refreshToken', 'refresh token already stored', {
            cause: error,
          });
        }
        throw error;
      }
    },

    async findRefreshToken(tokenHash) {
      const doc = await refreshTokens.findOne({ _id: tokenHash });
      return doc === null ? null : refreshTokenFromDoc(doc);
    },

    async markRefreshTokenUsed(tokenHash, at) {
      // An insert is the atomic single-use test on every deployment (see the lease above).
      const token = await refreshTokens.findOne({ _id: tokenHash }, { projection: { usedAt: 1 } });
      if (token === null || token.usedAt !== null) return false;
      try {
        await refreshTokenUses.insertOne({ _id: tokenHash, at });
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
      await refreshTokens.updateOne({ _id: tokenHash }, { $set: { usedAt: at } });
      return true;
    },

    async revokeRefreshFamily(familyId, at) {
      await refreshTokens.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: at } });
    },

    async revokeDeviceTokens(clinicId, deviceId, at) {
      await refreshTokens.updateMany(
        { clinicId, deviceId, revokedAt: null },
        { $set: { revokedAt: at } },
      );
    },

    async ping() {
      await db.command({ ping: 1 });
    },

    async close() {
      await client.close();
    },
  };
  return store;
}
