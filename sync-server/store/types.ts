// The one small interface every sync-server store implements (embedded SQLite, MongoDB). Both pass
// the same contract suite (contract.ts). Stores know nothing of HTTP, JWTs or roles: the routes
// decide who may do what; the store keeps data and the per-clinic order of changes.
import type { StaffRole } from '../../shared/domain/enums';

/** A replicated document as clients see it: their JSON plus RxDB's `_deleted` flag. */
export type ReplicatedDocument = Record<string, unknown> & { readonly _deleted: boolean };

/**
 * The pull checkpoint: the clinic-wide sequence of the last change the client has seen.
 * Sequences are assigned by the server, strictly increasing per clinic, in commit order.
 */
export interface SyncCheckpoint {
  readonly seq: number;
}

export interface PullResult {
  readonly documents: readonly ReplicatedDocument[];
  /** Unchanged (the one passed in, or `{seq: 0}`) when there was nothing new. */
  readonly checkpoint: SyncCheckpoint;
}

export interface PushRow {
  readonly newDocumentState: ReplicatedDocument;
  /** What the client believes the server holds; absent for a document it thinks is new. */
  readonly assumedMasterState?: ReplicatedDocument | undefined;
}

/**
 * Asked for each row whose assumed master matches: may the write go ahead? The routes use it for
 * rules that need the stored state (a signed note cannot change, a role may not delete...).
 * Returning a string refuses the row with that message (safe to show; no patient data).
 */
export type WriteGuard = (
  row: PushRow,
  current: ReplicatedDocument | undefined,
) => string | undefined;

export interface RefusedRow {
  /** Position of the row in the pushed batch. */
  readonly index: number;
  readonly id: string;
  readonly message: string;
}

export interface PushResult {
  /** Master states of rows whose assumed master differed: never applied (RxDB's conflicts). */
  readonly conflicts: readonly ReplicatedDocument[];
  /** Rows the guard refused; the rest of the batch is still applied. */
  readonly refused: readonly RefusedRow[];
  /** How many rows were written. */
  readonly written: number;
  /** The clinic's sequence after this push (unchanged when nothing was written). */
  readonly seq: number;
}

export interface Clinic {
  readonly id: string;
  readonly name: string;
  /** IANA time zone, e.g. America/Sao_Paulo. */
  readonly timeZone: string;
  readonly currency: string;
  readonly createdAt: string;
}

export interface User {
  readonly id: string;
  readonly clinicId: string;
  readonly email: string;
  readonly name: string;
  readonly role: StaffRole;
  /** argon2id hash; never leaves the server. */
  readonly passwordHash: string;
  readonly disabled: boolean;
  readonly providerId: string | null;
  readonly createdAt: string;
}

export interface Device {
  readonly id: string;
  readonly clinicId: string;
  readonly userId: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly revokedAt: string | null;
}

export interface RefreshTokenRecord {
  /** sha-256 of the token; the token itself is never stored. */
  readonly tokenHash: string;
  /** All tokens issued from one login share a family; reuse of a spent one revokes the family. */
  readonly familyId: string;
  readonly clinicId: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly expiresAt: string;
  /** When it was exchanged for a new pair; a second use is theft. */
  readonly usedAt: string | null;
  readonly revokedAt: string | null;
}

export interface SyncStore {
  /** 'sqlite' | 'mongodb': for logs, metrics and /readyz. */
  readonly kind: string;

  // --- Replication ----------------------------------------------------------------------------
  /** Changes of one collection of one clinic after `checkpoint`, oldest first, at most `limit`. */
  pull(
    clinicId: string,
    collection: string,
    checkpoint: SyncCheckpoint | null,
    limit: number,
  ): Promise<PullResult>;
  /**
   * Applies a batch atomically per row: a row is written only if its assumed master equals the
   * stored document (deep equality; absent = no document), and then gets the next clinic
   * sequence. Commit order equals sequence order, so a puller never skips a change.
   */
  push(
    clinicId: string,
    collection: string,
    rows: readonly PushRow[],
    guard?: WriteGuard,
  ): Promise<PushResult>;
  /** Current documents by id (tests, admin tools, the conflict answer). */
  getDocuments(
    clinicId: string,
    collection: string,
    ids: readonly string[],
  ): Promise<ReplicatedDocument[]>;
  /** The clinic's current sequence (0 before any write). */
  currentSeq(clinicId: string): Promise<number>;
  /**
   * Removes tombstones older than `before` (ISO instant) and raises the clinic's history floor
   * to the highest sequence removed. Returns how many were removed.
   */
  purgeTombstones(clinicId: string, before: string): Promise<number>;
  /**
   * Sequences at or below this may have lost deletions: a client whose checkpoint is below it
   * must RESYNC (start from scratch, keeping its unpushed edits). 0 while nothing was purged.
   */
  historyFloor(clinicId: string): Promise<number>;

  // --- Clinics, users, devices, tokens --------------------------------------------------------
  createClinic(clinic: Clinic): Promise<void>;
  getClinic(clinicId: string): Promise<Clinic | null>;
  listClinics(): Promise<Clinic[]>;
  createUser(user: User): Promise<void>;
  /** Emails are unique per clinic, compared lower-cased. */
  findUserByEmail(clinicId: string, email: string): Promise<User | null>;
  getUser(clinicId: string, userId: string): Promise<User | null>;
  listUsers(clinicId: string): Promise<User[]>;
  setUserDisabled(clinicId: string, userId: string, disabled: boolean): Promise<boolean>;
  setUserPassword(clinicId: string, userId: string, passwordHash: string): Promise<boolean>;
  upsertDevice(device: Device): Promise<void>;
  getDevice(clinicId: string, deviceId: string): Promise<Device | null>;
  listDevices(clinicId: string): Promise<Device[]>;
  revokeDevice(clinicId: string, deviceId: string, at: string): Promise<boolean>;
  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** Marks a token used only if it was unused; false means it was already spent (reuse). */
  markRefreshTokenUsed(tokenHash: string, at: string): Promise<boolean>;
  revokeRefreshFamily(familyId: string, at: string): Promise<void>;
  revokeDeviceTokens(clinicId: string, deviceId: string, at: string): Promise<void>;

  // --- Operations -----------------------------------------------------------------------------
  /** Throws when the store cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
