// The collection names, in their own module so that schemas (audit_events names the collection
// an event is about) can use them without importing the index. They are also the HTTP path
// segments of the sync endpoints (`/v1/sync/{collection}`), hence snake_case, which RxDB's
// collection-name rule `^[a-z][_$a-zA-Z0-9\-]*$` accepts.
export const COLLECTION_NAMES = [
  'patients',
  'providers',
  'operatories',
  'appointment_types',
  'appointments',
  'procedures',
  'clinical_notes',
  'ledger_entries',
  'audit_events',
  'staff',
] as const;

export type CollectionName = (typeof COLLECTION_NAMES)[number];

export function isCollectionName(value: string): value is CollectionName {
  return (COLLECTION_NAMES as readonly string[]).includes(value);
}
