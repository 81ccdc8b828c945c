// Real clinic files for backup and database tests: an RxDB database on the SQLite storage in a
// temporary folder, with invented patients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../../shared/domain/ids';
import {
  derivePatientSearchFields,
  type ClinicDatabase,
  type Patient,
} from '../../../shared/domain/schemas/index';
import { sampleDocument } from '../../../shared/domain/schemas/samples';

export function temporaryFolder(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function inventedPatient(lastName: string): Patient {
  const sample = sampleDocument('patients');
  const names = { firstName: 'Invented', lastName, phones: sample.phones };
  return { ...sample, ...names, ...derivePatientSearchFields(names), id: newId() };
}

export async function addPatients(db: ClinicDatabase, lastNames: readonly string[]): Promise<void> {
  const result = await db.patients.bulkInsert(lastNames.map(inventedPatient));
  if (result.error.length > 0) throw new Error(`insert failed: ${result.error.length} errors`);
}

export async function patientLastNames(db: ClinicDatabase): Promise<string[]> {
  const docs = await db.patients.find().exec();
  return docs.map((doc) => doc.lastName).sort();
}
