import type { RxDocumentData, RxJsonSchema, RxQueryPlan } from 'rxdb';
import {
  getIndexableStringMonad,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
  toArray,
} from 'rxdb';

/** One SQL column per RxDB index, holding RxDB's indexable string for that index. */
export type IndexColumn<RxDocType> = {
  /** The RxDB index (field paths), e.g. ['_deleted', 'nameKey', 'id']. */
  index: string[];
  /** Key used by RxDB's query plan to name this index. */
  indexKey: string;
  /** Quoted SQL identifier of the column. */
  column: string;
  /** Quoted SQL identifier of the SQLite index on the column. */
  sqlIndexName: string;
  /** Indexable string of a document, already encoded for SQLite ordering. */
  keyOf: (doc: RxDocumentData<RxDocType>) => string;
};

export function quoteIdentifier(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

export function indexKeyOf(index: readonly string[]): string {
  return index.join(',');
}

/**
 * SQLite compares TEXT with memcmp over UTF-8, i.e. by code point, while RxDB (and the memory
 * storage) compare index strings with JS `<`, i.e. by UTF-16 code unit. The two orders agree
 * below U+D800 only: surrogates (astral characters, lone surrogates) and U+E000..U+FFFF
 * (including RxDB's INDEX_MAX, U+FFFF) would sort differently, and a lone surrogate cannot
 * even be stored as UTF-8. Mapping every code unit in U+D800..U+FFFF to the astral code point
 * U+10000 + (unit - 0xD800) keeps code-unit order under UTF-8 comparison and loses nothing.
 */
const CODE_UNITS_NEEDING_REMAP = /[\uD800-\uFFFF]/;
const CODE_UNITS_NEEDING_REMAP_ALL = /[\uD800-\uFFFF]/g;
const REMAP_BASE = 0x10000 - 0xd800;

function remapCodeUnit(unit: string): string {
  return String.fromCodePoint(unit.charCodeAt(0) + REMAP_BASE);
}

export function toSqlKey(indexableString: string): string {
  return CODE_UNITS_NEEDING_REMAP.test(indexableString)
    ? indexableString.replace(CODE_UNITS_NEEDING_REMAP_ALL, remapCodeUnit)
    : indexableString;
}

export function getIndexColumns<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  tableName: string,
): IndexColumn<RxDocType>[] {
  const indexes = (schema.indexes ?? []).map((index) => toArray(index) as string[]);
  const seen = new Set<string>();
  const columns: IndexColumn<RxDocType>[] = [];
  for (const index of indexes) {
    const indexKey = indexKeyOf(index);
    if (seen.has(indexKey)) continue;
    seen.add(indexKey);
    const indexableString = getIndexableStringMonad(schema, index);
    columns.push({
      index,
      indexKey,
      column: quoteIdentifier('idx:' + indexKey),
      sqlIndexName: quoteIdentifier(tableName + '::idx:' + indexKey),
      keyOf: (doc) => toSqlKey(indexableString(doc)),
    });
  }
  return columns;
}

/** Lower and upper SQL keys of a query plan's range on its index. */
export function getRangeKeys<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  plan: Pick<RxQueryPlan, 'index' | 'startKeys' | 'endKeys'>,
): { lower: string; upper: string } {
  return {
    lower: toSqlKey(getStartIndexStringFromLowerBound(schema, plan.index, plan.startKeys)),
    upper: toSqlKey(getStartIndexStringFromUpperBound(schema, plan.index, plan.endKeys)),
  };
}
