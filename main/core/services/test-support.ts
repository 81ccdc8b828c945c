// Test helpers for the services: a real RxDB database on the SQLite storage in a temporary
// folder, seeded with a small demo clinic, and calls that go through the contract's input
// validation as the dispatcher's would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MangoQuery, RxCollection } from 'rxdb';
import type { CallableMethod, InputOf, MethodName, OutputOf } from '../../../shared/api/contract';
import type { SessionUser } from '../../../shared/api/views';
import { validateApiInput } from '../../../shared/api/validate-input';
import { DEMO_COLLECTIONS, generateDemoClinic, type DemoClinic } from '../../../shared/demo/index';
import type { StaffRole } from '../../../shared/domain/enums';
import {
  patientFromServer,
  type AuditEvent,
  type ClinicDatabase,
} from '../../../shared/domain/schemas/index';
import { SQLiteStorageInstance } from '../../../shared/storage/index';
import { formatIssues } from '../../../shared/domain/validation';
import { clinicDatabaseName, openClinicDatabase } from '../database';
import type {
  CallContext,
  HandlerOf,
  PartialServiceTable,
  QueryOrCommandHandler,
} from '../service-table';
import { createServicesTable } from './index';

/** The demo story's "now": 10:30 in São Paulo on the demo's default today. */
export const TEST_TODAY = '2025-06-02';
export const TEST_NOW = '2025-06-02T13:30:00.000Z';
export const TEST_DEVICE_ID = '0190a6c4-5b1e-7c3d-9f2a-3b4c5d6e7f80';

export interface TestClinic {
  readonly demo: DemoClinic;
  readonly db: ClinicDatabase;
  readonly table: PartialServiceTable;
  readonly directory: string;
  readonly settingsFile: string;
  /** A call context for the first staff member with `role`. */
  context(role: StaffRole, now?: string): CallContext;
  close(): Promise<void>;
}

let cachedDemo: DemoClinic | undefined;

/** 300 patients and four weeks of schedule around TEST_TODAY: enough history, quick to seed. */
export function smallDemoClinic(): DemoClinic {
  cachedDemo ??= generateDemoClinic({
    patients: 300,
    today: TEST_TODAY,
    startDay: '2025-05-19',
    days: 28,
  });
  return cachedDemo;
}

export async function openTestClinic(): Promise<TestClinic> {
  const demo = smallDemoClinic();
  const directory = mkdtempSync(join(tmpdir(), 'topsmile-services-'));
  const db = await openClinicDatabase({
    directory,
    name: clinicDatabaseName(demo.options.clinicId),
    synchronous: 'NORMAL',
  });
  for (const collection of DEMO_COLLECTIONS) {
    const docs = demo.documents[collection] as unknown as Record<string, unknown>[];
    // The demo documents are in server form; stored locally, they get their local fields, as a
    // pull gives them.
    const stored = collection === 'patients' ? docs.map((doc) => patientFromServer(doc)) : docs;
    const result = await (
      db[collection] as unknown as {
        bulkInsert(d: unknown[]): Promise<{ error: unknown[] }>;
      }
    ).bulkInsert(stored);
    if (result.error.length > 0) throw new Error(`seeding ${collection} failed`);
  }
  const settingsFile = join(directory, 'settings.json');
  const table = createServicesTable({ db, settingsFile, currency: demo.options.currency });
  const context = (role: StaffRole, now = TEST_NOW): CallContext => {
    const staff = demo.documents.staff.find((member) => member.role === role);
    if (!staff) throw new Error(`the demo clinic has no ${role}`);
    const user: SessionUser = {
      id: staff.id,
      name: staff.name,
      email: staff.email,
      role: staff.role,
      providerId: staff.providerId ?? null,
    };
    return {
      user,
      clinicId: demo.options.clinicId,
      deviceId: TEST_DEVICE_ID,
      timeZone: demo.options.timeZone,
      now: () => now,
    };
  };
  return {
    demo,
    db,
    table,
    directory,
    settingsFile,
    context,
    close: async () => {
      await db.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export function handlerOf<M extends MethodName>(
  table: PartialServiceTable,
  method: M,
): HandlerOf<M> {
  const handler = table[method];
  if (!handler) throw new Error(`no handler for ${method}`);
  return handler as HandlerOf<M>;
}

/** Checks `input` against the contract (as the dispatcher does), then calls the handler. */
export function checkedInput<M extends MethodName>(method: M, input: InputOf<M>): InputOf<M> {
  const checked = validateApiInput(method, input);
  if (!checked.ok) throw new Error(`test input for ${method}: ${formatIssues(checked.issues)}`);
  return checked.value;
}

/** Calls a query or command the way the dispatcher would: input checked against the contract. */
export async function call<M extends CallableMethod>(
  clinic: Pick<TestClinic, 'table'>,
  method: M,
  input: InputOf<M>,
  context: CallContext,
): Promise<OutputOf<M>> {
  const handler = handlerOf(clinic.table, method) as unknown as QueryOrCommandHandler<M>;
  return handler(checkedInput(method, input), context);
}

/** SQLite's plan for a Mango query on a collection, read from our storage under RxDB's wrappers. */
export function explainFind<T>(
  collection: RxCollection<T>,
  query: MangoQuery<T>,
): { details: string; index: readonly string[] } {
  const prepared = collection.find(query).getPreparedQuery();
  let instance: unknown = collection.internalStorageInstance;
  while (instance !== undefined && !(instance instanceof SQLiteStorageInstance)) {
    instance = (instance as { originalStorageInstance?: unknown }).originalStorageInstance;
  }
  if (!(instance instanceof SQLiteStorageInstance)) throw new Error('not on the SQLite storage');
  const storage = instance as SQLiteStorageInstance<T>;
  return {
    details: storage.explainQuery(prepared as never).join(' | '),
    index: prepared.queryPlan.index,
  };
}

/** The audit events written about one record. */
export async function auditEventsOf(db: ClinicDatabase, entityId: string): Promise<AuditEvent[]> {
  const docs = await db.audit_events
    .find({ selector: { entityId: { $eq: entityId } }, sort: [{ at: 'asc' }] })
    .exec();
  return docs.map((doc) => doc.toMutableJSON() as AuditEvent);
}

/** The fields an audit event may carry: ids, a verb and a time, nothing about the patient. */
export const AUDIT_EVENT_FIELDS = [
  'action',
  'actorId',
  'at',
  'clinicId',
  'deviceId',
  'entity',
  'entityId',
  'id',
  'updatedAt',
  'updatedBy',
] as const;

/**
 * Every audit event holds only its id fields, and none of their values is a patient's name,
 * birth date, phone or e-mail. Returns how many events were checked.
 */
export async function auditTrailWithoutPatientData(db: ClinicDatabase): Promise<number> {
  const events = (await db.audit_events.find().exec()).map((doc) => doc.toMutableJSON());
  const patients = (await db.patients.find().exec()).map((doc) => doc.toMutableJSON());
  const personal = new Set<string>();
  for (const patient of patients) {
    for (const value of [patient.firstName, patient.lastName, patient.birthDate, patient.email]) {
      if (value) personal.add(value);
    }
    for (const phone of patient.phones) personal.add(phone.number);
  }
  for (const event of events) {
    if (Object.keys(event).sort().join() !== AUDIT_EVENT_FIELDS.join()) {
      throw new Error(`audit event ${event.id} has unexpected fields`);
    }
    for (const value of Object.values(event)) {
      if (personal.has(String(value)))
        throw new Error(`audit event ${event.id} holds patient data`);
    }
  }
  return events.length;
}
