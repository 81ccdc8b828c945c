// The replication rules both stores apply the same way: which field names a document, when an
// assumed master matches the stored state, and what happens to each pushed row.
import { isDeepStrictEqual } from 'node:util';
import type {
  PullResult,
  PushRow,
  RefusedRow,
  ReplicatedDocument,
  SyncCheckpoint,
  WriteGuard,
} from './types';

export const DEFAULT_PRIMARY_PATH = 'id';

/** Collection name → primary key field, for collections whose key is not `id` (e.g. test ones). */
export type PrimaryPaths = Readonly<Record<string, string>>;

export function primaryPathOf(primaryPaths: PrimaryPaths | undefined, collection: string): string {
  return primaryPaths?.[collection] ?? DEFAULT_PRIMARY_PATH;
}

/** The largest batch a pull may ask for; the routes cap lower, this only bounds memory. */
export const MAX_PULL_LIMIT = 10_000;

export function assertPullLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
    throw new RangeError(`pull limit must be an integer from 1 to ${MAX_PULL_LIMIT}`);
  }
}

export function checkpointSeq(checkpoint: SyncCheckpoint | null): number {
  const seq = checkpoint?.seq ?? 0;
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new RangeError('checkpoint seq must be a non-negative integer');
  }
  return seq;
}

/** Tombstone ages compare as ISO strings, so every instant is brought to one UTC form first. */
export function normalizeInstant(instant: string): string {
  const time = Date.parse(instant);
  if (Number.isNaN(time)) throw new RangeError('expected an ISO 8601 instant');
  return new Date(time).toISOString();
}

export function pullResult(
  rows: readonly { seq: number; doc: ReplicatedDocument }[],
  since: number,
): PullResult {
  const last = rows[rows.length - 1];
  return {
    documents: rows.map((row) => row.doc),
    checkpoint: { seq: last === undefined ? since : last.seq },
  };
}

/**
 * Deep equality that ignores key order. The assumed state goes through the same JSON round trip
 * the stored one went through (undefined members dropped, -0 is 0), so a client's echo of what it
 * pushed always equals what was stored.
 */
export function sameDocumentState(
  stored: ReplicatedDocument | undefined,
  assumed: ReplicatedDocument | undefined,
): boolean {
  if (stored === undefined || assumed === undefined) return stored === assumed;
  return isDeepStrictEqual(stored, JSON.parse(JSON.stringify(assumed)));
}

export type RowId = { readonly id: string } | { readonly refused: RefusedRow };

export function rowDocumentId(row: PushRow, index: number, primaryPath: string): RowId {
  const doc: unknown = row.newDocumentState;
  const id =
    typeof doc === 'object' && doc !== null && !Array.isArray(doc)
      ? (doc as Record<string, unknown>)[primaryPath]
      : undefined;
  if (typeof id !== 'string' || id.length === 0) {
    return {
      refused: { index, id: '', message: `document has no string "${primaryPath}" field` },
    };
  }
  return { id };
}

/**
 * Field names MongoDB cannot hold. Both stores refuse them so a document that syncs through one
 * store syncs through the other; RxDB schemas never produce them.
 */
export function hasUnstorableFieldName(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasUnstorableFieldName);
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, member] of Object.entries(value)) {
    if (key.startsWith('$') || key.includes('.') || key.includes('\0')) return true;
    if (hasUnstorableFieldName(member)) return true;
  }
  return false;
}

export type RowDecision =
  | { readonly kind: 'write'; readonly json: string; readonly deleted: boolean }
  | { readonly kind: 'conflict'; readonly master: ReplicatedDocument }
  | { readonly kind: 'refused'; readonly message: string };

/**
 * One pushed row against the stored state of its document.
 * An assumed master for a document the server does not hold (lost to a purge or a restore) is not
 * applied, and there is no stored state to answer with, so the row is refused rather than
 * answered with an invented master: the client must resync.
 */
export function decidePushRow(
  row: PushRow,
  current: ReplicatedDocument | undefined,
  guard: WriteGuard | undefined,
): RowDecision {
  if (hasUnstorableFieldName(row.newDocumentState)) {
    return {
      kind: 'refused',
      message: "field names may not start with '$' or contain '.' or a NUL character",
    };
  }
  const assumed = row.assumedMasterState ?? undefined;
  if (current === undefined && assumed !== undefined) {
    return {
      kind: 'refused',
      message: 'the server holds no such document (purged or restored): resync before pushing it',
    };
  }
  if (!sameDocumentState(current, assumed)) {
    return { kind: 'conflict', master: current as ReplicatedDocument };
  }
  const refusal = guard?.(row, current);
  if (refusal !== undefined) return { kind: 'refused', message: refusal };
  return {
    kind: 'write',
    json: JSON.stringify(row.newDocumentState),
    deleted: row.newDocumentState._deleted === true,
  };
}

export function parseStoredDocument(json: string): ReplicatedDocument {
  return JSON.parse(json) as ReplicatedDocument;
}

/** Emails are unique per clinic compared this way (Unicode-aware, unlike SQL lower()). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
