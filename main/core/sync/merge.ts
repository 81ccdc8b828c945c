// The field-by-field merge of a conflicting push (DESIGN.md, Sync): against the common base (the
// last state both sides agreed on), a field changed on one side only takes that side's value; a
// field changed on both sides to different values takes the SERVER's value and the local one is
// reported as a clash for the conflict log. Nothing here knows about RxDB or storage.
import { isDeepStrictEqual } from 'node:util';
import { derivePatientSearchFields, type Patient } from '../../../shared/domain/schemas/index';

export type PlainDocument = Readonly<Record<string, unknown>> & { readonly _deleted?: boolean };

export interface FieldClash {
  readonly field: string;
  /** The value this workstation wrote, which lost. */
  readonly localValue: unknown;
  /** The value kept (the server's). */
  readonly serverValue: unknown;
}

export interface MergeResult<D extends PlainDocument> {
  readonly document: D;
  readonly clashes: readonly FieldClash[];
  /** The merge is the server's state itself: nothing is left to push. */
  readonly equalsServer: boolean;
}

/** The deletion flag, as a field of the merge. */
export const DELETED_FIELD = '_deleted';

/** Kept by RxDB beside the data; never part of a merge. */
const STORAGE_FIELDS: ReadonlySet<string> = new Set(['_meta', '_rev', '_attachments']);

/** Every write changes these, so they never clash; they follow the winning side. */
const BOOKKEEPING_FIELDS: ReadonlySet<string> = new Set(['updatedAt', 'updatedBy']);

/** Fields computed from others; recomputed after a merge instead of merged. */
const DERIVED_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  patients: new Set(['nameKey', 'phoneKey', 'givenNameKey']),
};

/** Equality as the server sees it: after a JSON round trip (undefined members dropped). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

function mergedFields(collection: string, ...docs: (PlainDocument | undefined)[]): string[] {
  const derived = DERIVED_FIELDS[collection];
  const fields = new Set<string>();
  for (const doc of docs) {
    for (const field of Object.keys(doc ?? {})) {
      if (STORAGE_FIELDS.has(field) || BOOKKEEPING_FIELDS.has(field)) continue;
      if (derived?.has(field)) continue;
      fields.add(field);
    }
  }
  fields.add(DELETED_FIELD);
  return [...fields];
}

function valueOf(doc: PlainDocument | undefined, field: string): unknown {
  if (doc === undefined) return undefined;
  if (field === DELETED_FIELD) return doc._deleted === true;
  return doc[field];
}

/** Recomputes the fields derived from others (a patient's search keys) after a merge or edit. */
export function withDerivedFields<D extends PlainDocument>(collection: string, doc: D): D {
  if (collection !== 'patients') return doc;
  const patient = doc as unknown as Patient;
  if (typeof patient.firstName !== 'string' || !Array.isArray(patient.phones)) return doc;
  return { ...doc, ...derivePatientSearchFields(patient) };
}

/** Documents compared without RxDB's storage fields. */
export function sameDocument(a: PlainDocument, b: PlainDocument): boolean {
  const strip = (doc: PlainDocument): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...doc, _deleted: doc._deleted === true };
    for (const field of STORAGE_FIELDS) delete copy[field];
    return copy;
  };
  return sameValue(strip(a), strip(b));
}

/**
 * Merges `local` (this workstation's state) and `server` (the real master) against `base` (the
 * assumed master; absent when this side never saw the server's version: then every differing
 * field is a clash). An edit on one side against a deletion on the other is a clash on
 * `_deleted` and the server's side wins: a deletion is never undone silently, and an edit is never
 * buried in a tombstone without a log entry.
 */
export function mergeDocuments<D extends PlainDocument>(
  collection: string,
  base: D | undefined,
  local: D,
  server: D,
): MergeResult<D> {
  const merged: Record<string, unknown> = {};
  const clashes: FieldClash[] = [];
  let localChangedData = false;
  let serverChangedData = false;
  for (const field of mergedFields(collection, base, local, server)) {
    const baseValue = valueOf(base, field);
    const localValue = valueOf(local, field);
    const serverValue = valueOf(server, field);
    const localChanged = base === undefined || !sameValue(baseValue, localValue);
    const serverChanged = base === undefined || !sameValue(baseValue, serverValue);
    if (field !== DELETED_FIELD) {
      if (localChanged && !sameValue(localValue, serverValue)) localChangedData = true;
      if (serverChanged && !sameValue(localValue, serverValue)) serverChangedData = true;
    }
    let value: unknown;
    if (sameValue(localValue, serverValue)) value = serverValue;
    else if (localChanged && !serverChanged) value = localValue;
    else if (serverChanged && !localChanged) value = serverValue;
    else {
      value = serverValue;
      if (field !== DELETED_FIELD) clashes.push({ field, localValue, serverValue });
    }
    if (field === DELETED_FIELD) merged[DELETED_FIELD] = value === true;
    else if (value !== undefined) merged[field] = value;
  }

  const localDeleted = local._deleted === true;
  const serverDeleted = server._deleted === true;
  if (localDeleted !== serverDeleted) {
    const editedOther = serverDeleted ? localChangedData : serverChangedData;
    if (editedOther || base === undefined) {
      merged[DELETED_FIELD] = serverDeleted;
      clashes.push({ field: DELETED_FIELD, localValue: localDeleted, serverValue: serverDeleted });
    }
  }

  let document = withDerivedFields(collection, merged as D);
  const keepsLocal = [...new Set([...Object.keys(document), ...Object.keys(server)])].some(
    (field) =>
      !STORAGE_FIELDS.has(field) &&
      !BOOKKEEPING_FIELDS.has(field) &&
      !sameValue(valueOf(document, field), valueOf(server, field)),
  );
  if (!keepsLocal) {
    // Nothing of ours survives: take the server's state as it is, so nothing is pushed back.
    return { document: server, clashes, equalsServer: true };
  }
  const later = (local['updatedAt'] as string) > (server['updatedAt'] as string) ? local : server;
  document = { ...document, updatedAt: later['updatedAt'], updatedBy: local['updatedBy'] };
  return { document, clashes, equalsServer: false };
}
