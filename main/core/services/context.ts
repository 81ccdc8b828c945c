// What every clinic service needs: the open database, the signed-in user, stamping documents
// with their bookkeeping fields, safe reads and validated writes, and the audit trail.
import type { RxCollection, RxDocument } from 'rxdb';
import type { MethodName } from '../../../shared/api/contract';
import type { Currency } from '../../../shared/domain/enums';
import { newId } from '../../../shared/domain/ids';
import type { ProcedureListEntry } from '../../../shared/domain/rules/cdt';
import type {
  AuditEvent,
  ClinicDatabase,
  CollectionName,
  DocumentOf,
} from '../../../shared/domain/schemas/index';
import { assertValidDocument } from '../../../shared/domain/validation';
import type { SessionUser } from '../../../shared/api/views';
import { ServiceError, type CallContext } from '../service-table';

export interface ServicesDeps {
  /** The signed-in clinic's database, or a getter for it (null before the first sign-in). */
  readonly db: ClinicDatabase | (() => ClinicDatabase | null);
  /** This workstation's settings file (JSON) in the user-data folder. */
  readonly settingsFile: string;
  /** The clinic's billing currency (from the session): procedure fees and empty balances. */
  readonly currency: Currency | (() => Currency | null);
  /** The clinic's own procedure list, when it has one; DEFAULT_PROCEDURE_LIST otherwise. */
  readonly procedureList?: () => readonly ProcedureListEntry[] | null;
}

/** The bookkeeping fields every written document carries. */
export interface Stamp {
  readonly clinicId: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** One call's view of the services: who, where, when, and on which database. */
export interface ServiceScope {
  readonly db: ClinicDatabase;
  readonly user: SessionUser;
  readonly context: CallContext;
  readonly now: string;
  readonly stamp: Stamp;
}

export class Services {
  constructor(readonly deps: ServicesDeps) {}

  database(): ClinicDatabase {
    const db = typeof this.deps.db === 'function' ? this.deps.db() : this.deps.db;
    if (!db) throw new ServiceError('conflict', 'No clinic is open on this workstation yet.');
    return db;
  }

  /** The clinic's billing currency; a clinic without one cannot bill yet. */
  currency(): Currency {
    const currency =
      typeof this.deps.currency === 'function' ? this.deps.currency() : this.deps.currency;
    if (!currency) {
      throw new ServiceError('conflict', 'The clinic’s currency is not known yet; sign in online.');
    }
    return currency;
  }

  /** Scope of a call that needs a signed-in user (every clinic method). */
  scope(context: CallContext): ServiceScope {
    const user = context.user;
    const clinicId = context.clinicId;
    if (!user || !clinicId) throw new ServiceError('forbidden', 'Sign in first.');
    const now = context.now();
    return {
      db: this.database(),
      user,
      context,
      now,
      stamp: { clinicId, updatedAt: now, updatedBy: user.id },
    };
  }
}

/** A document as plain data, without RxDB's own fields (`_rev`, `_meta`, ...). */
export function plain<T>(doc: RxDocument<T>): T {
  return doc.toMutableJSON() as T;
}

/** Removes RxDB's bookkeeping keys from data handed to a modifier. */
export function withoutStorageFields<T extends object>(data: T): T {
  const copy = { ...data } as Record<string, unknown>;
  for (const key of Object.keys(copy)) if (key.startsWith('_')) delete copy[key];
  return copy as T;
}

const NOUNS: Readonly<Record<CollectionName, string>> = {
  patients: 'patient',
  providers: 'provider',
  operatories: 'chair',
  appointment_types: 'appointment type',
  appointments: 'appointment',
  procedures: 'procedure',
  clinical_notes: 'clinical note',
  ledger_entries: 'ledger entry',
  audit_events: 'audit event',
  staff: 'staff member',
};

export function notFound(collection: CollectionName): ServiceError {
  return new ServiceError('not_found', `That ${NOUNS[collection]} does not exist.`);
}

type AnyCollection = RxCollection<Record<string, unknown>>;

function collectionOf<C extends CollectionName>(db: ClinicDatabase, name: C): AnyCollection {
  return db[name] as unknown as AnyCollection;
}

/** The live RxDocument of `id`, or a not_found ServiceError. */
export async function findDocument<C extends CollectionName>(
  db: ClinicDatabase,
  collection: C,
  id: string,
): Promise<RxDocument<DocumentOf<C>>> {
  const doc = await collectionOf(db, collection).findOne(id).exec();
  if (!doc) throw notFound(collection);
  return doc as unknown as RxDocument<DocumentOf<C>>;
}

/** The document `id` as plain data, or a not_found ServiceError. */
export async function getDocument<C extends CollectionName>(
  db: ClinicDatabase,
  collection: C,
  id: string,
): Promise<DocumentOf<C>> {
  return plain(await findDocument(db, collection, id));
}

/** Validates (human issues on failure) and inserts a new document. */
export async function insertDocument<C extends CollectionName>(
  db: ClinicDatabase,
  collection: C,
  doc: DocumentOf<C>,
): Promise<void> {
  assertValidDocument(collection, doc);
  await collectionOf(db, collection).insert(doc as Record<string, unknown>);
}

/**
 * Rewrites a document with `change`, checked against its schema before anything is written.
 * The change is applied again to the newest revision when another write (sync) got there first.
 */
export async function updateDocument<C extends CollectionName>(
  db: ClinicDatabase,
  collection: C,
  id: string,
  change: (current: DocumentOf<C>) => DocumentOf<C>,
): Promise<DocumentOf<C>> {
  const doc = await findDocument(db, collection, id);
  assertValidDocument(collection, change(plain(doc)));
  const written = await doc.incrementalModify((data) => {
    const next = change(withoutStorageFields(data as DocumentOf<C>));
    assertValidDocument(collection, next);
    return next as typeof data;
  });
  return plain(written);
}

/**
 * The audit action for an API method: the method name in the audit schema's lower snake case,
 * e.g. `appointments.setStatus` → `appointments.set_status`.
 */
export function auditAction(method: MethodName): string {
  return method.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A written record, as the audit trail names it: ids only, never patient data. */
export interface AuditedWrite {
  readonly entity: CollectionName;
  readonly entityId: string;
}

/** Records who did `method` to which records, from which device, when. */
export async function audit(
  scope: ServiceScope,
  method: MethodName,
  writes: readonly AuditedWrite[],
): Promise<void> {
  const action = auditAction(method);
  const events: AuditEvent[] = writes.map((write) => ({
    id: newId(),
    ...scope.stamp,
    actorId: scope.user.id,
    deviceId: scope.context.deviceId,
    action,
    entity: write.entity,
    entityId: write.entityId,
    at: scope.now,
  }));
  for (const event of events) assertValidDocument('audit_events', event);
  if (events.length > 0) await insertAll(scope.db, 'audit_events', events);
}

/** Validates and inserts several documents of one collection; any refused row fails the call. */
export async function insertAll<C extends CollectionName>(
  db: ClinicDatabase,
  collection: C,
  docs: readonly DocumentOf<C>[],
): Promise<void> {
  for (const doc of docs) assertValidDocument(collection, doc);
  const result = await collectionOf(db, collection).bulkInsert(
    docs as unknown as Record<string, unknown>[],
  );
  if (result.error.length > 0) {
    // The storage error names ids and status codes only; no document content reaches the message.
    throw new Error(
      `Could not write ${String(result.error.length)} ${collection} record(s) (status ${String(result.error[0]?.status)}).`,
    );
  }
}
