// The embedded store: one SQLite file through better-sqlite3. Every call is synchronous inside one
// process and every push is one IMMEDIATE transaction, so writes of a clinic are serial by
// construction and sequence order is commit order, even with several connections on one file.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeviceClinicMismatchError, StoreDuplicateError, UnknownClinicError } from './errors';
import {
  assertPullLimit,
  checkpointSeq,
  decidePushRow,
  emailKey,
  normalizeInstant,
  parseStoredDocument,
  primaryPathOf,
  pullResult,
  rowDocumentId,
  type PrimaryPaths,
} from './push-rules';
import type {
  Clinic,
  Device,
  PullResult,
  PushResult,
  PushRow,
  RefreshTokenRecord,
  RefusedRow,
  ReplicatedDocument,
  SyncCheckpoint,
  SyncStore,
  User,
  WriteGuard,
} from './types';

/** Bumped with every change to the tables below; backups record it. */
export const SQLITE_STORE_SCHEMA_VERSION = 1;

/** Tables a valid store file must contain (restore checks them). */
export const SQLITE_STORE_TABLES = [
  'clinics',
  'documents',
  'users',
  'devices',
  'refresh_tokens',
] as const;

export interface SqliteStoreOptions {
  readonly file: string;
  /** Collections whose primary key is not `id`. */
  readonly primaryPaths?: PrimaryPaths | undefined;
  /** How long a writer waits for another connection's lock before failing. Default 5 s. */
  readonly busyTimeoutMs?: number;
  /** Server time for tombstone ages; tests move it. Default: the wall clock. */
  readonly now?: () => Date;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS clinics (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  history_floor INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE IF NOT EXISTS documents (
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  json TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS documents_by_id ON documents (clinic_id, collection, id);
CREATE INDEX IF NOT EXISTS documents_by_seq ON documents (clinic_id, collection, seq);
CREATE INDEX IF NOT EXISTS tombstones_by_age ON documents (clinic_id, updated_at) WHERE deleted = 1;

CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  provider_id TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS users_by_email ON users (clinic_id, email_key);

CREATE TABLE IF NOT EXISTS devices (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS devices_by_clinic ON devices (clinic_id);

CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  revoked_at TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_by_device ON refresh_tokens (clinic_id, device_id);
`;

interface ClinicRow {
  id: string;
  name: string;
  time_zone: string;
  currency: string;
  created_at: string;
}
interface UserRow {
  id: string;
  clinic_id: string;
  email: string;
  name: string;
  role: User['role'];
  password_hash: string;
  disabled: number;
  provider_id: string | null;
  created_at: string;
}
interface DeviceRow {
  id: string;
  clinic_id: string;
  user_id: string;
  name: string;
  created_at: string;
  last_seen_at: string;
  revoked_at: string | null;
}
interface RefreshTokenRow {
  token_hash: string;
  family_id: string;
  clinic_id: string;
  user_id: string;
  device_id: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

const clinicFromRow = (row: ClinicRow): Clinic => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  currency: row.currency,
  createdAt: row.created_at,
});
const userFromRow = (row: UserRow): User => ({
  id: row.id,
  clinicId: row.clinic_id,
  email: row.email,
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
  disabled: row.disabled === 1,
  providerId: row.provider_id,
  createdAt: row.created_at,
});
const deviceFromRow = (row: DeviceRow): Device => ({
  id: row.id,
  clinicId: row.clinic_id,
  userId: row.user_id,
  name: row.name,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  revokedAt: row.revoked_at,
});
const refreshTokenFromRow = (row: RefreshTokenRow): RefreshTokenRecord => ({
  tokenHash: row.token_hash,
  familyId: row.family_id,
  clinicId: row.clinic_id,
  userId: row.user_id,
  deviceId: row.device_id,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
  revokedAt: row.revoked_at,
});

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}
function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** IN lists are chunked below SQLite's bound-parameter limit. */
const ID_CHUNK = 500;

export function openSqliteStore(options: SqliteStoreOptions): Promise<SyncStore> {
  // Async signature like the MongoDB store; opening is synchronous and throws synchronously-caught.
  try {
    return Promise.resolve(createSqliteStore(options));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Opens (creating when needed) a store file with the server's pragmas and tables. */
export function openStoreDatabase(file: string, busyTimeoutMs = 5000): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // An acknowledged push must survive a power cut, not only a process crash: the pusher marks
    // its rows as master state once we answer, so a commit rolled back by the OS would leave every
    // workstation's assumed master pointing at a state the server no longer has. FULL fsyncs the
    // WAL at every commit; NORMAL would only fsync at checkpoints.
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SQLITE_STORE_SCHEMA_VERSION}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function createSqliteStore(options: SqliteStoreOptions): SyncStore {
  const db = openStoreDatabase(options.file, options.busyTimeoutMs);
  const now = options.now ?? (() => new Date());
  const primaryPaths = options.primaryPaths;

  const stmt = {
    pull: db.prepare<[string, string, number, number], { seq: number; json: string }>(
      'SELECT seq, json FROM documents WHERE clinic_id = ? AND collection = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    getDoc: db.prepare<[string, string, string], { json: string }>(
      'SELECT json FROM documents WHERE clinic_id = ? AND collection = ? AND id = ?',
    ),
    upsertDoc: db.prepare<[string, string, string, number, number, string, string]>(
      `INSERT INTO documents (clinic_id, collection, id, seq, deleted, updated_at, json)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (clinic_id, collection, id) DO UPDATE SET
         seq = excluded.seq, deleted = excluded.deleted,
         updated_at = excluded.updated_at, json = excluded.json`,
    ),
    clinicSeq: db.prepare<[string], { seq: number; history_floor: number }>(
      'SELECT seq, history_floor FROM clinics WHERE id = ?',
    ),
    setClinicSeq: db.prepare<[number, string]>('UPDATE clinics SET seq = ? WHERE id = ?'),
    oldTombstones: db.prepare<[string, string], { n: number; max_seq: number | null }>(
      'SELECT count(*) AS n, max(seq) AS max_seq FROM documents WHERE clinic_id = ? AND deleted = 1 AND updated_at < ?',
    ),
    deleteTombstones: db.prepare<[string, string]>(
      'DELETE FROM documents WHERE clinic_id = ? AND deleted = 1 AND updated_at < ?',
    ),
    raiseFloor: db.prepare<[number, string]>(
      'UPDATE clinics SET history_floor = max(history_floor, ?) WHERE id = ?',
    ),
    insertClinic: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO clinics (id, name, time_zone, currency, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    getClinic: db.prepare<[string], ClinicRow>('SELECT * FROM clinics WHERE id = ?'),
    listClinics: db.prepare<[], ClinicRow>('SELECT * FROM clinics ORDER BY created_at, id'),
    insertUser: db.prepare(
      `INSERT INTO users (id, clinic_id, email, email_key, name, role, password_hash, disabled, provider_id, created_at)
       VALUES (@id, @clinicId, @email, @emailKey, @name, @role, @passwordHash, @disabled, @providerId, @createdAt)`,
    ),
    userByEmail: db.prepare<[string, string], UserRow>(
      'SELECT * FROM users WHERE clinic_id = ? AND email_key = ?',
    ),
    getUser: db.prepare<[string, string], UserRow>(
      'SELECT * FROM users WHERE clinic_id = ? AND id = ?',
    ),
    listUsers: db.prepare<[string], UserRow>(
      'SELECT * FROM users WHERE clinic_id = ? ORDER BY created_at, id',
    ),
    setUserDisabled: db.prepare<[number, string, string]>(
      'UPDATE users SET disabled = ? WHERE clinic_id = ? AND id = ?',
    ),
    setUserPassword: db.prepare<[string, string, string]>(
      'UPDATE users SET password_hash = ? WHERE clinic_id = ? AND id = ?',
    ),
    // Revocation is sticky: re-registering a revoked workstation never brings it back.
    upsertDevice: db.prepare(
      `INSERT INTO devices (id, clinic_id, user_id, name, created_at, last_seen_at, revoked_at)
       VALUES (@id, @clinicId, @userId, @name, @createdAt, @lastSeenAt, @revokedAt)
       ON CONFLICT (id) DO UPDATE SET
         user_id = excluded.user_id, name = excluded.name, last_seen_at = excluded.last_seen_at,
         revoked_at = coalesce(devices.revoked_at, excluded.revoked_at)
       WHERE devices.clinic_id = excluded.clinic_id`,
    ),
    getDevice: db.prepare<[string, string], DeviceRow>(
      'SELECT * FROM devices WHERE clinic_id = ? AND id = ?',
    ),
    listDevices: db.prepare<[string], DeviceRow>(
      'SELECT * FROM devices WHERE clinic_id = ? ORDER BY created_at, id',
    ),
    revokeDevice: db.prepare<[string, string, string]>(
      'UPDATE devices SET revoked_at = ? WHERE clinic_id = ? AND id = ? AND revoked_at IS NULL',
    ),
    deviceExists: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM devices WHERE clinic_id = ? AND id = ?',
    ),
    insertToken: db.prepare(
      `INSERT INTO refresh_tokens (token_hash, family_id, clinic_id, user_id, device_id, expires_at, used_at, revoked_at)
       VALUES (@tokenHash, @familyId, @clinicId, @userId, @deviceId, @expiresAt, @usedAt, @revokedAt)`,
    ),
    findToken: db.prepare<[string], RefreshTokenRow>(
      'SELECT * FROM refresh_tokens WHERE token_hash = ?',
    ),
    markTokenUsed: db.prepare<[string, string]>(
      'UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL',
    ),
    revokeFamily: db.prepare<[string, string]>(
      'UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
    ),
    revokeDeviceTokens: db.prepare<[string, string, string]>(
      'UPDATE refresh_tokens SET revoked_at = ? WHERE clinic_id = ? AND device_id = ? AND revoked_at IS NULL',
    ),
  };

  const readDoc = (clinicId: string, collection: string, id: string) => {
    const row = stmt.getDoc.get(clinicId, collection, id);
    return row === undefined ? undefined : parseStoredDocument(row.json);
  };

  const pushTransaction = db.transaction(
    (clinicId: string, collection: string, rows: readonly PushRow[], guard?: WriteGuard) => {
      const clinic = stmt.clinicSeq.get(clinicId);
      if (clinic === undefined) throw new UnknownClinicError(clinicId);
      const primaryPath = primaryPathOf(primaryPaths, collection);
      const updatedAt = now().toISOString();
      let seq = clinic.seq;
      const conflicts: ReplicatedDocument[] = [];
      const refused: RefusedRow[] = [];
      let written = 0;
      rows.forEach((row, index) => {
        const rowId = rowDocumentId(row, index, primaryPath);
        if ('refused' in rowId) {
          refused.push(rowId.refused);
          return;
        }
        const decision = decidePushRow(row, readDoc(clinicId, collection, rowId.id), guard);
        if (decision.kind === 'conflict') conflicts.push(decision.master);
        else if (decision.kind === 'refused') {
          refused.push({ index, id: rowId.id, message: decision.message });
        } else {
          seq += 1;
          stmt.upsertDoc.run(
            clinicId,
            collection,
            rowId.id,
            seq,
            decision.deleted ? 1 : 0,
            updatedAt,
            decision.json,
          );
          written += 1;
        }
      });
      if (written > 0) stmt.setClinicSeq.run(seq, clinicId);
      return { conflicts, refused, written, seq };
    },
  );

  const purgeTransaction = db.transaction((clinicId: string, before: string) => {
    const old = stmt.oldTombstones.get(clinicId, before);
    if (old === undefined || old.n === 0 || old.max_seq === null) return 0;
    stmt.deleteTombstones.run(clinicId, before);
    stmt.raiseFloor.run(old.max_seq, clinicId);
    return old.n;
  });

  // better-sqlite3 throws synchronously; every method answers with a promise either way.
  const run = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const store: SyncStore = {
    kind: 'sqlite',

    pull(clinicId, collection, checkpoint: SyncCheckpoint | null, limit): Promise<PullResult> {
      return run(() => {
        assertPullLimit(limit);
        const since = checkpointSeq(checkpoint);
        const rows = stmt.pull
          .all(clinicId, collection, since, limit)
          .map((row) => ({ seq: row.seq, doc: parseStoredDocument(row.json) }));
        return pullResult(rows, since);
      });
    },

    push(clinicId, collection, rows, guard): Promise<PushResult> {
      // IMMEDIATE takes the write lock before the first read, so a second connection on the same
      // file waits instead of reading a sequence that is about to change.
      return run(() => pushTransaction.immediate(clinicId, collection, rows, guard));
    },

    getDocuments(clinicId, collection, ids) {
      return run(() => {
        const docs: ReplicatedDocument[] = [];
        for (let start = 0; start < ids.length; start += ID_CHUNK) {
          const chunk = ids.slice(start, start + ID_CHUNK);
          const rows = db
            .prepare<unknown[], { json: string }>(
              `SELECT json FROM documents WHERE clinic_id = ? AND collection = ? AND id IN (${chunk.map(() => '?').join(',')})`,
            )
            .all(clinicId, collection, ...chunk);
          for (const row of rows) docs.push(parseStoredDocument(row.json));
        }
        return docs;
      });
    },

    currentSeq(clinicId) {
      return run(() => stmt.clinicSeq.get(clinicId)?.seq ?? 0);
    },

    purgeTombstones(clinicId, before) {
      return run(() => purgeTransaction.immediate(clinicId, normalizeInstant(before)));
    },

    historyFloor(clinicId) {
      return run(() => stmt.clinicSeq.get(clinicId)?.history_floor ?? 0);
    },

    createClinic(clinic) {
      return run(() => {
        try {
          stmt.insertClinic.run(
            clinic.id,
            clinic.name,
            clinic.timeZone,
            clinic.currency,
            clinic.createdAt,
          );
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new StoreDuplicateError('clinic', `clinic ${clinic.id} already exists`, {
              cause: error,
            });
          }
          throw error;
        }
      });
    },

    getClinic(clinicId) {
      return run(() => {
        const row = stmt.getClinic.get(clinicId);
        return row === undefined ? null : clinicFromRow(row);
      });
    },

    listClinics() {
      return run(() => stmt.listClinics.all().map(clinicFromRow));
    },

    createUser(user) {
      return run(() => {
        try {
          stmt.insertUser.run({
            ...user,
            emailKey: emailKey(user.email),
            disabled: user.disabled ? 1 : 0,
          });
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new StoreDuplicateError(
              'user',
              `a user with that email or id already exists in clinic ${user.clinicId}`,
              { cause: error },
            );
          }
          if (isForeignKeyViolation(error)) throw new UnknownClinicError(user.clinicId);
          throw error;
        }
      });
    },

    findUserByEmail(clinicId, email) {
      return run(() => {
        const row = stmt.userByEmail.get(clinicId, emailKey(email));
        return row === undefined ? null : userFromRow(row);
      });
    },

    getUser(clinicId, userId) {
      return run(() => {
        const row = stmt.getUser.get(clinicId, userId);
        return row === undefined ? null : userFromRow(row);
      });
    },

    listUsers(clinicId) {
      return run(() => stmt.listUsers.all(clinicId).map(userFromRow));
    },

    setUserDisabled(clinicId, userId, disabled) {
      return run(() => stmt.setUserDisabled.run(disabled ? 1 : 0, clinicId, userId).changes === 1);
    },

    setUserPassword(clinicId, userId, passwordHash) {
      return run(() => stmt.setUserPassword.run(passwordHash, clinicId, userId).changes === 1);
    },

    upsertDevice(device) {
      return run(() => {
        let changes: number;
        try {
          changes = stmt.upsertDevice.run({ ...device }).changes;
        } catch (error) {
          if (isForeignKeyViolation(error)) throw new UnknownClinicError(device.clinicId);
          throw error;
        }
        if (changes === 0) throw new DeviceClinicMismatchError(device.id);
      });
    },

    getDevice(clinicId, deviceId) {
      return run(() => {
        const row = stmt.getDevice.get(clinicId, deviceId);
        return row === undefined ? null : deviceFromRow(row);
      });
    },

    listDevices(clinicId) {
      return run(() => stmt.listDevices.all(clinicId).map(deviceFromRow));
    },

    revokeDevice(clinicId, deviceId, at) {
      return run(() => {
        if (stmt.revokeDevice.run(at, clinicId, deviceId).changes === 1) return true;
        // Already revoked still counts as "the device exists and is revoked".
        return stmt.deviceExists.get(clinicId, deviceId) !== undefined;
      });
    },

    insertRefreshToken(token) {
      return run(() => {
        try {
          stmt.insertToken.run({ ...token });
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new StoreDuplicateError('refreshToken', 'refresh token already stored', {
              cause: error,
            });
          }
          if (isForeignKeyViolation(error)) throw new UnknownClinicError(token.clinicId);
          throw error;
        }
      });
    },

    findRefreshToken(tokenHash) {
      return run(() => {
        const row = stmt.findToken.get(tokenHash);
        return row === undefined ? null : refreshTokenFromRow(row);
      });
    },

    markRefreshTokenUsed(tokenHash, at) {
      return run(() => stmt.markTokenUsed.run(at, tokenHash).changes === 1);
    },

    revokeRefreshFamily(familyId, at) {
      return run(() => {
        stmt.revokeFamily.run(at, familyId);
      });
    },

    revokeDeviceTokens(clinicId, deviceId, at) {
      return run(() => {
        stmt.revokeDeviceTokens.run(at, clinicId, deviceId);
      });
    },

    ping() {
      return run(() => {
        db.prepare('SELECT 1').get();
      });
    },

    close() {
      return run(() => {
        if (db.open) db.close();
      });
    },
  };
  return store;
}
