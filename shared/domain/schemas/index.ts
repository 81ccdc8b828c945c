// The clinic's collections: one RxDB JSON schema per collection is the single source of the
// document types, of validation (validation.ts compiles these same schemas) and of indexes.
//
// Schema versions and staged rollouts
// -----------------------------------
// During a staged rollout, workstations one release apart sync the same documents, and neither
// may lose a field the other wrote. RxDB always validates the top level with
// `additionalProperties: false`, so a workstation cannot keep a field its schema does not know:
// tolerance has to come from the schema knowing the field one release early. Hence:
//  1. Within a major line, changes are additive only: a new optional field, a wider enum, a longer
//     maxLength. Nothing is renamed, removed, retyped or narrowed, and no field becomes required.
//  2. Accept first, write later. Release N ships the schema change (bumping that collection's
//     `version` with an identity step in `collectionMigrationStrategies`, run by RxDB's
//     migration-schema plugin); only release N+1 starts writing the new field or enum value. So
//     any two workstations one release apart accept, store and push back every document the
//     other writes, field for field.
//  3. The sync server is upgraded before any workstation and validates pushes against the newest
//     schemas (validation.ts), so it accepts documents from both versions in a rollout; it keeps
//     them exactly as pushed. Each workstation tells the server its schema version per
//     collection, and one more than a version behind is refused with a clear "update required"
//     answer instead of being sent documents it would have to reject or strip.
//  4. A breaking change (rename, retype, split) is a new major line: add the new field beside the
//     old one, write both for a release, migrate local data with a migration strategy, and only
//     then stop reading the old field. A local backup is taken before every migration.
//  5. Changing anything in a schema object, even a description, changes RxDB's schema hash and
//     needs a version bump; human labels therefore live outside the schemas (field-hints.ts).
//  6. A field every workstation can derive from the document (a search key) can instead be
//     local: optional, stripped on push and derived again on pull (LOCAL_PATIENT_FIELDS). It never
//     reaches the server or a peer, so it is written from its first release and its migration
//     step fills it; the sync layer must strip it before the first workstation writes it.
import type {
  ExtractDocumentTypeFromTypedRxJsonSchema,
  MigrationStrategies,
  RxCollection,
  RxCollectionCreator,
  RxDatabase,
} from 'rxdb';
import { appointmentTypesSchema } from './appointment-types';
import { appointmentsSchema } from './appointments';
import { auditEventsSchema } from './audit-events';
import { clinicalNotesSchema } from './clinical-notes';
import { COLLECTION_NAMES, type CollectionName } from './collection-names';
import { ledgerEntriesSchema } from './ledger-entries';
import { operatoriesSchema } from './operatories';
import { patientFromServer, patientsSchema } from './patients';
import { proceduresSchema } from './procedures';
import { providersSchema } from './providers';
import { staffSchema } from './staff';

export { COLLECTION_NAMES, isCollectionName, type CollectionName } from './collection-names';
export type { AppointmentType } from './appointment-types';
export type { Appointment } from './appointments';
export type { AuditEvent } from './audit-events';
export type { ClinicalNote } from './clinical-notes';
export type { LedgerEntry } from './ledger-entries';
export type { Operatory } from './operatories';
export {
  derivePatientSearchFields,
  givenNameKeyOf,
  LOCAL_PATIENT_FIELDS,
  normalizeNameForSearch,
  patientForServer,
  patientFromServer,
  phoneDigits,
  NAME_KEY_MAX_LENGTH,
  PHONE_KEY_MAX_LENGTH,
  type Patient,
} from './patients';
export { SURFACES_PATTERN, TOOTH_ID_PATTERN, type Procedure } from './procedures';
export type { Provider } from './providers';
export type { StaffMember } from './staff';
export { collectionNoun, fieldHint, type FieldHint } from './field-hints';
export {
  appointmentTypesSchema,
  appointmentsSchema,
  auditEventsSchema,
  clinicalNotesSchema,
  ledgerEntriesSchema,
  operatoriesSchema,
  patientsSchema,
  proceduresSchema,
  providersSchema,
  staffSchema,
};

/** Collection name → its typed schema. */
export const collectionSchemas = {
  patients: patientsSchema,
  providers: providersSchema,
  operatories: operatoriesSchema,
  appointment_types: appointmentTypesSchema,
  appointments: appointmentsSchema,
  procedures: proceduresSchema,
  clinical_notes: clinicalNotesSchema,
  ledger_entries: ledgerEntriesSchema,
  audit_events: auditEventsSchema,
  staff: staffSchema,
} as const satisfies Record<CollectionName, unknown>;

/** The document type stored in collection `C`, e.g. `DocumentOf<'patients'>` is `Patient`. */
export type DocumentOf<C extends CollectionName> = ExtractDocumentTypeFromTypedRxJsonSchema<
  (typeof collectionSchemas)[C]
>;

/** Any document of any collection. */
export type AnyDocument = DocumentOf<CollectionName>;

/**
 * Migration steps per collection, keyed by the version they migrate to (see the plan above).
 * RxDB runs them over the local documents and over the replication's assumed master states
 * alike, so a step may only add what the push strips again (a local field), or every migrated
 * document would conflict with the server's copy on its next push.
 */
export const collectionMigrationStrategies: Readonly<Record<CollectionName, MigrationStrategies>> =
  Object.freeze({
    ...(Object.fromEntries(COLLECTION_NAMES.map((name) => [name, {}])) as Record<
      CollectionName,
      MigrationStrategies
    >),
    // 1: givenNameKey, a local field, derived for the documents already stored.
    patients: { 1: (doc: Record<string, unknown>) => patientFromServer(doc) },
  });

export type ClinicCollections = { [C in CollectionName]: RxCollection<DocumentOf<C>> };
export type ClinicDatabase = RxDatabase<ClinicCollections>;

/** What `db.addCollections()` takes to create every clinic collection. */
export function clinicCollectionCreators(): {
  [C in CollectionName]: RxCollectionCreator<DocumentOf<C>>;
} {
  const creators = {} as Record<CollectionName, RxCollectionCreator>;
  for (const name of COLLECTION_NAMES) {
    creators[name] = {
      schema: collectionSchemas[name],
      migrationStrategies: collectionMigrationStrategies[name],
    };
  }
  return creators as { [C in CollectionName]: RxCollectionCreator<DocumentOf<C>> };
}
