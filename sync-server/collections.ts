// The collections the server replicates: every clinic collection of shared/domain, plus (in
// tests) extra loosely checked ones such as RxDB's test suite collection.
import { COLLECTION_NAMES } from '../shared/domain/schemas/index';
import type { CollectionName } from '../shared/domain/schemas/index';
import { validateDocument, type ValidationIssue } from '../shared/domain/validation';

export interface ReplicatedCollection {
  readonly name: string;
  readonly primaryKey: string;
  /** Documents carry `clinicId`, which must be the caller's clinic. */
  readonly clinicScoped: boolean;
  /** Written by the server only (the staff list mirrors the users). */
  readonly serverManaged: boolean;
  validate(doc: Record<string, unknown>): readonly ValidationIssue[];
}

/** An extra collection for tests: only the primary key and `_deleted` are checked. */
export interface ExtraCollection {
  readonly primaryKey: string;
}

const SERVER_MANAGED: ReadonlySet<CollectionName> = new Set(['staff']);

function domainCollection(name: CollectionName): ReplicatedCollection {
  return {
    name,
    primaryKey: 'id',
    clinicScoped: true,
    serverManaged: SERVER_MANAGED.has(name),
    validate(doc) {
      const result = validateDocument(name, doc);
      return result.ok ? [] : result.issues;
    },
  };
}

function looseCollection(name: string, extra: ExtraCollection): ReplicatedCollection {
  return {
    name,
    primaryKey: extra.primaryKey,
    clinicScoped: false,
    serverManaged: false,
    validate(doc) {
      return typeof doc['_deleted'] === 'boolean'
        ? []
        : [{ field: '_deleted', message: '_deleted must be true or false' }];
    },
  };
}

export function collectionRegistry(
  extra: Readonly<Record<string, ExtraCollection>> = {},
): ReadonlyMap<string, ReplicatedCollection> {
  const registry = new Map<string, ReplicatedCollection>();
  for (const name of COLLECTION_NAMES) registry.set(name, domainCollection(name));
  for (const [name, definition] of Object.entries(extra)) {
    if (registry.has(name)) throw new Error(`extra collection ${name} shadows a clinic collection`);
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad extra collection name ${name}`);
    registry.set(name, looseCollection(name, definition));
  }
  return registry;
}
