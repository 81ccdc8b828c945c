import type { CollectionName, DocumentOf } from '../domain/schemas/index';

/** The collections the demo clinic fills, in the order they are generated. */
export const DEMO_COLLECTIONS = [
  'staff',
  'providers',
  'operatories',
  'appointment_types',
  'patients',
  'appointments',
  'procedures',
  'clinical_notes',
  'ledger_entries',
] as const satisfies readonly CollectionName[];
export type DemoCollection = (typeof DEMO_COLLECTIONS)[number];

/** One generated document and the collection it belongs in. */
export type DemoRecord = {
  [C in DemoCollection]: { collection: C; document: DocumentOf<C> };
}[DemoCollection];
