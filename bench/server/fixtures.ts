// What the benchmark puts in the store before the server starts: clinics with a few logins, and
// the deterministic demo clinic, written through the store's own push (as `npm run admin --
// seed-demo` does), so the server serves exactly what a seeded deployment would.
import { hashPassword } from '../../sync-server/auth/passwords';
import type { LoginResult } from '../../sync-server/auth/service';
import type { ReplicatedDocument, SyncStore } from '../../sync-server/store/types';
import { resolveDemoClinicOptions, type DemoClinicOptions } from '../../shared/demo/index';
import { seedDemoDocuments } from '../../sync-server/demo-seed';
import type { StaffRole } from '../../shared/domain/enums';
import { newId } from '../../shared/domain/ids';
import { sampleDocument } from '../../shared/domain/schemas/samples';

const BENCH_PASSWORD = 'benchmark password, loopback only';
const BENCH_ROLES = ['admin', 'front_desk'] as const satisfies readonly StaffRole[];
type BenchRole = (typeof BENCH_ROLES)[number];

export interface BenchClinic {
  readonly clinicId: string;
  readonly emails: Readonly<Record<BenchRole, string>>;
}

export async function createBenchClinic(
  store: SyncStore,
  name: string,
  clinicId: string = newId(),
): Promise<BenchClinic> {
  const createdAt = new Date().toISOString();
  await store.createClinic({
    id: clinicId,
    name,
    timeZone: 'America/Sao_Paulo',
    currency: 'BRL',
    createdAt,
  });
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const emails = {} as Record<BenchRole, string>;
  for (const role of BENCH_ROLES) {
    emails[role] = `bench-${role.replace('_', '-')}@example.com`;
    await store.createUser({
      id: newId(),
      clinicId,
      email: emails[role],
      name: `Bench ${role}`,
      role,
      passwordHash,
      disabled: false,
      providerId: null,
      createdAt,
    });
  }
  return { clinicId, emails };
}

export async function login(
  serverUrl: string,
  clinic: BenchClinic,
  role: BenchRole,
  deviceName: string,
): Promise<string> {
  const response = await fetch(`${serverUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clinic: clinic.clinicId,
      email: clinic.emails[role],
      password: BENCH_PASSWORD,
      deviceName,
    }),
  });
  if (!response.ok) throw new Error(`bench login refused: HTTP ${response.status}`);
  return ((await response.json()) as LoginResult).accessToken;
}

export interface SeededClinic {
  readonly documents: number;
  readonly byCollection: Readonly<Record<string, number>>;
  readonly millis: number;
}

/**
 * Writes the demo clinic (every collection) through `store.push`. The generator interleaves
 * collections day by day, so rows are buffered per collection and pushed in full batches.
 */
export async function seedDemoClinic(
  store: SyncStore,
  options: DemoClinicOptions & { clinicId: string },
): Promise<SeededClinic> {
  const started = performance.now();
  const { documents, byCollection } = await seedDemoDocuments(store, options);
  return { documents, byCollection, millis: performance.now() - started };
}

/** A new, valid patient of the clinic (the invented sample patient under a fresh id). */
export function benchPatient(clinicId: string): ReplicatedDocument {
  return {
    ...sampleDocument('patients'),
    id: newId(),
    clinicId,
    _deleted: false,
  } as ReplicatedDocument;
}

/** Patients in the full-size demo clinic the benchmarks' targets speak of. */
export const FULL_CLINIC_PATIENTS = 50_000;

/** The demo clinic options for a size: the full clinic's schedule, shortened for a small one. */
export function demoClinicOptions(patients: number, clinicId: string) {
  const fullDays = resolveDemoClinicOptions().days;
  const days =
    patients >= FULL_CLINIC_PATIENTS
      ? fullDays
      : Math.max(7, Math.round((fullDays * patients) / FULL_CLINIC_PATIENTS));
  return { patients, days, clinicId };
}
