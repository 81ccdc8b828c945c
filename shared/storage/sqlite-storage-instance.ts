import type Database from 'better-sqlite3';
import type {
  BulkWriteRow,
  CategorizeBulkWriteRowsOutput,
  EventBulk,
  PreparedQuery,
  RxAttachmentWriteData,
  RxDocumentData,
  RxJsonSchema,
  RxStorage,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  RxStorageQueryResult,
  StringKeys,
} from 'rxdb';
import {
  categorizeBulkWriteRows,
  getChangedDocumentsSinceQuery,
  getPrimaryFieldOfPrimaryKey,
  getQueryMatcher,
  getSortComparator,
  newRxError,
  now,
  prepareQuery,
} from 'rxdb';
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import type { IndexColumn } from './index-columns';
import type { WriteDurability } from './sqlite-connection';
import {
  getIndexColumns,
  getRangeKeys,
  indexKeyOf,
  quoteIdentifier,
  toSqlKey,
} from './index-columns';

export type SQLiteStorageInternals = {
  /** Absolute path of the SQLite file holding this RxDB database. */
  filePath: string;
  /** Unquoted name of the collection's table: `<collection>-<schema version>`. */
  tableName: string;
};

/** Per-collection options (RxDB's `instanceCreationOptions`); none are needed today. */
export type SQLiteInstanceCreationOptions = Record<string, never>;

type DocRow = { data: string };
type AttachmentRow = { data: Buffer; type: string; digest: string };
type Statement = Database.Statement<unknown[], unknown>;

/** Blob bytes of attachments being written, read before the write transaction opens. */
type AttachmentBytes = Map<Blob, Buffer>;

export type SQLiteStorageInstanceParams<RxDocType> = {
  storage: RxStorage<SQLiteStorageInternals, SQLiteInstanceCreationOptions>;
  db: Database.Database;
  /** The connection's, shared by every instance on it. */
  durability: WriteDurability;
  databaseName: string;
  collectionName: string;
  schema: RxJsonSchema<RxDocumentData<RxDocType>>;
  options: SQLiteInstanceCreationOptions;
  internals: SQLiteStorageInternals;
  onClose: () => void;
};

export function tableNameOf(collectionName: string, schemaVersion: number): string {
  return `${collectionName}-${schemaVersion}`;
}

/**
 * One RxDB collection (one schema version) stored as one SQLite table: the document as JSON,
 * plus one TEXT column per RxDB index holding RxDB's indexable string, indexed by SQLite.
 * Every method mirrors RxDB's memory storage: same query plan, same range, same order.
 */
export class SQLiteStorageInstance<RxDocType> implements RxStorageInstance<
  RxDocType,
  SQLiteStorageInternals,
  SQLiteInstanceCreationOptions,
  RxStorageDefaultCheckpoint
> {
  readonly storage: RxStorage<SQLiteStorageInternals, SQLiteInstanceCreationOptions>;
  readonly databaseName: string;
  readonly collectionName: string;
  readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>;
  readonly options: Readonly<SQLiteInstanceCreationOptions>;
  readonly internals: Readonly<SQLiteStorageInternals>;
  readonly primaryPath: StringKeys<RxDocumentData<RxDocType>>;

  private readonly db: Database.Database;
  private readonly durability: WriteDurability;
  private readonly table: string;
  private readonly attachmentTable: string;
  private readonly hasAttachments: boolean;
  private readonly indexColumns: IndexColumn<RxDocType>[];
  private readonly columnByIndexKey: Map<string, IndexColumn<RxDocType>>;
  private readonly changes$ = new Subject<
    EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>
  >();
  private readonly onClose: () => void;
  private closed = false;
  private removed = false;
  /** Attachment writes await Blob bytes; this keeps them, and reads after them, in call order. */
  private attachmentQueue: Promise<unknown> = Promise.resolve();

  private readonly insertDoc: Statement;
  private readonly updateDoc: Statement;
  private readonly selectById: Statement;
  private readonly selectByIds: Statement;
  private readonly purgeTombstones: Statement;
  private readonly selectTombstoneIds: Statement;
  private readonly rangeStatements = new Map<string, Statement>();
  private readonly attachmentStatements?: {
    put: Statement;
    remove: Statement;
    get: Statement;
    removeForDocument: Statement;
  };
  /** Reused parameter array of the insert/update statements: no allocation per row. */
  private readonly writeParams: unknown[];

  constructor(params: SQLiteStorageInstanceParams<RxDocType>) {
    this.storage = params.storage;
    this.db = params.db;
    this.durability = params.durability;
    this.databaseName = params.databaseName;
    this.collectionName = params.collectionName;
    this.schema = params.schema;
    this.options = params.options;
    this.internals = params.internals;
    this.onClose = params.onClose;
    this.primaryPath = getPrimaryFieldOfPrimaryKey(this.schema.primaryKey) as StringKeys<
      RxDocumentData<RxDocType>
    >;
    this.hasAttachments = !!this.schema.attachments;
    this.table = quoteIdentifier(params.internals.tableName);
    this.attachmentTable = quoteIdentifier(params.internals.tableName + '::attachments');
    this.indexColumns = getIndexColumns(params.schema, params.internals.tableName);
    this.columnByIndexKey = new Map(this.indexColumns.map((c) => [c.indexKey, c]));

    this.createTables();

    const t = this.table;
    const keyColumns = this.indexColumns.map((c) => c.column);
    const insertColumns = ['id', 'data', 'deleted', 'lwt', ...keyColumns];
    this.insertDoc = this.db.prepare(
      `INSERT INTO ${t} (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')})`,
    );
    // Same parameter order as the insert, id last: one params array serves both.
    this.updateDoc = this.db.prepare(
      `UPDATE ${t} SET ${['data', 'deleted', 'lwt', ...keyColumns].map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
    );
    this.writeParams = new Array(insertColumns.length);
    this.selectById = this.db.prepare(`SELECT data FROM ${t} WHERE id = ?`);
    this.selectByIds = this.db.prepare(
      `SELECT data FROM ${t} WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.selectTombstoneIds = this.db.prepare(`SELECT id FROM ${t} WHERE deleted = 1 AND lwt <= ?`);
    this.purgeTombstones = this.db.prepare(`DELETE FROM ${t} WHERE deleted = 1 AND lwt <= ?`);
    if (this.hasAttachments) {
      const a = this.attachmentTable;
      this.attachmentStatements = {
        put: this.db.prepare(
          `INSERT OR REPLACE INTO ${a} (documentId, attachmentId, digest, type, data) VALUES (?, ?, ?, ?, ?)`,
        ),
        remove: this.db.prepare(`DELETE FROM ${a} WHERE documentId = ? AND attachmentId = ?`),
        get: this.db.prepare(
          `SELECT data, type, digest FROM ${a} WHERE documentId = ? AND attachmentId = ?`,
        ),
        removeForDocument: this.db.prepare(`DELETE FROM ${a} WHERE documentId = ?`),
      };
    }
  }

  private createTables(): void {
    const t = this.table;
    const tableName = this.internals.tableName;
    // DDL is not a pulled write: it commits with the configured durability.
    this.durability.run('create-tables', () =>
      this.db
        .transaction(() => {
          this.db.exec(
            `CREATE TABLE IF NOT EXISTS ${t} (
            id TEXT NOT NULL PRIMARY KEY,
            data TEXT NOT NULL,
            deleted INTEGER NOT NULL,
            lwt REAL NOT NULL
            ${this.indexColumns.map((c) => `, ${c.column} TEXT NOT NULL`).join('')}
          )`,
          );
          this.addMissingIndexColumns();
          for (const c of this.indexColumns) {
            this.db.exec(`CREATE INDEX IF NOT EXISTS ${c.sqlIndexName} ON ${t} (${c.column})`);
          }
          // cleanup() walks tombstones by age; a partial index keeps live documents out of it.
          this.db.exec(
            `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(tableName + '::tombstones')} ON ${t} (lwt) WHERE deleted = 1`,
          );
          if (this.hasAttachments) {
            this.db.exec(
              `CREATE TABLE IF NOT EXISTS ${this.attachmentTable} (
              documentId TEXT NOT NULL,
              attachmentId TEXT NOT NULL,
              digest TEXT NOT NULL,
              type TEXT NOT NULL,
              data BLOB NOT NULL,
              PRIMARY KEY (documentId, attachmentId)
            )`,
            );
          }
        })
        .immediate(),
    );
  }

  /**
   * A table written by an older build may lack a column for an index RxDB added since (RxDB's
   * own internal indexes can change between versions): add it and fill it from the documents.
   */
  private addMissingIndexColumns(): void {
    const existing = new Set(
      (this.db.prepare(`PRAGMA table_info(${this.table})`).all() as { name: string }[]).map((row) =>
        quoteIdentifier(row.name),
      ),
    );
    const missing = this.indexColumns.filter((c) => !existing.has(c.column));
    if (missing.length === 0) return;
    for (const c of missing) {
      this.db.exec(`ALTER TABLE ${this.table} ADD COLUMN ${c.column} TEXT NOT NULL DEFAULT ''`);
    }
    const rows = this.db.prepare(`SELECT id, data FROM ${this.table}`).all() as (DocRow & {
      id: string;
    })[];
    const fill = this.db.prepare(
      `UPDATE ${this.table} SET ${missing.map((c) => `${c.column} = ?`).join(', ')} WHERE id = ?`,
    );
    for (const row of rows) {
      const doc = JSON.parse(row.data) as RxDocumentData<RxDocType>;
      fill.run(...missing.map((c) => c.keyOf(doc)), row.id);
    }
  }

  bulkWrite(
    documentWrites: BulkWriteRow<RxDocType>[],
    context: string,
  ): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    try {
      this.ensureUsable();
      if (this.hasAttachments) {
        return this.afterAttachmentWrites(async () =>
          this.writeRows(documentWrites, context, await readAttachmentBytes(documentWrites)),
        );
      }
      return Promise.resolve(this.writeRows(documentWrites, context, undefined));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The conflict check, the writes and nothing else run in one IMMEDIATE transaction. */
  private writeRows(
    documentWrites: BulkWriteRow<RxDocType>[],
    context: string,
    attachmentBytes: AttachmentBytes | undefined,
  ): RxStorageBulkWriteResponse<RxDocType> {
    this.ensureUsable();
    const primaryPath = this.primaryPath;
    let categorized!: CategorizeBulkWriteRowsOutput<RxDocType>;
    this.durability.run(context, () =>
      this.db
        .transaction(() => {
          const ids = documentWrites.map((row) => row.document[primaryPath] as string);
          const docsInDb = this.readDocsById(ids);
          categorized = categorizeBulkWriteRows<RxDocType>(
            this,
            primaryPath as StringKeys<RxDocType>,
            docsInDb,
            documentWrites,
            context,
          );
          for (const row of categorized.bulkInsertDocs)
            this.writeDocument(this.insertDoc, row.document);
          for (const row of categorized.bulkUpdateDocs)
            this.writeDocument(this.updateDoc, row.document);
          if (this.attachmentStatements) {
            this.writeAttachments(categorized, this.attachmentStatements, attachmentBytes);
          }
        })
        .immediate(),
    );

    // Emitted after the commit, so a listener never sees a write that could still roll back.
    const eventBulk = categorized.eventBulk;
    if (eventBulk.events.length > 0 && categorized.newestRow) {
      const lastState = categorized.newestRow.document;
      eventBulk.checkpoint = {
        id: lastState[primaryPath] as string,
        lwt: lastState._meta.lwt,
      };
      this.changes$.next(eventBulk);
    }
    return { error: categorized.errors };
  }

  private writeDocument(statement: Statement, doc: RxDocumentData<RxDocType>): void {
    const params = this.writeParams;
    const isInsert = statement === this.insertDoc;
    let i = 0;
    if (isInsert) params[i++] = toSqlKey(doc[this.primaryPath] as string);
    params[i++] = JSON.stringify(doc);
    params[i++] = doc._deleted ? 1 : 0;
    params[i++] = doc._meta.lwt;
    for (const c of this.indexColumns) params[i++] = c.keyOf(doc);
    if (!isInsert) params[i] = toSqlKey(doc[this.primaryPath] as string);
    statement.run(params);
  }

  private writeAttachments(
    categorized: CategorizeBulkWriteRowsOutput<RxDocType>,
    statements: NonNullable<SQLiteStorageInstance<RxDocType>['attachmentStatements']>,
    attachmentBytes: AttachmentBytes | undefined,
  ): void {
    for (const attachment of [...categorized.attachmentsAdd, ...categorized.attachmentsUpdate]) {
      const bytes = attachmentBytes?.get(attachment.attachmentData.data);
      if (!bytes) throw new Error('attachment data was not read before the write');
      statements.put.run(
        toSqlKey(attachment.documentId),
        toSqlKey(attachment.attachmentId),
        attachment.digest,
        attachment.attachmentData.type,
        bytes,
      );
    }
    for (const attachment of categorized.attachmentsRemove) {
      statements.remove.run(toSqlKey(attachment.documentId), toSqlKey(attachment.attachmentId));
    }
  }

  /**
   * The `id` column holds toSqlKey(id): UTF-8 cannot store a lone surrogate, which a JS string
   * (and so an RxDB id) may contain, and SQLite would silently replace it. Documents are keyed
   * here by the id inside the JSON, which round-trips exactly.
   */
  private readDocsById(ids: string[]): Map<string, RxDocumentData<RxDocType>> {
    const docs = new Map<string, RxDocumentData<RxDocType>>();
    if (ids.length === 0) return docs;
    const rows =
      ids.length === 1
        ? (this.selectById.all(toSqlKey(ids[0]!)) as DocRow[])
        : (this.selectByIds.all(JSON.stringify(ids.map(toSqlKey))) as DocRow[]);
    for (const row of rows) {
      const doc = JSON.parse(row.data) as RxDocumentData<RxDocType>;
      docs.set(doc[this.primaryPath] as string, doc);
    }
    return docs;
  }

  findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    return this.read(() => {
      const docsById = this.readDocsById(ids);
      const result: RxDocumentData<RxDocType>[] = [];
      for (const id of ids) {
        const doc = docsById.get(id);
        if (doc && (withDeleted || !doc._deleted)) result.push(doc);
      }
      return result;
    });
  }

  query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    return this.read(() => ({ documents: this.runQuery(preparedQuery) }));
  }

  /**
   * The memory storage's algorithm on an SQL range scan: rows come in index order from the
   * plan's range; the selector is matched in JS unless the index satisfies it; the sort runs in
   * JS unless the index satisfies it; skip/limit go into SQL only when both are satisfied.
   */
  private runQuery(preparedQuery: PreparedQuery<RxDocType>): RxDocumentData<RxDocType>[] {
    const { query, queryPlan } = preparedQuery;
    const skip = query.skip ? query.skip : 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const skipPlusLimit = skip + limit;
    const mustResort = !queryPlan.sortSatisfiedByIndex;
    const matcher = queryPlan.selectorSatisfiedByIndex
      ? undefined
      : getQueryMatcher(this.schema, query);
    const range = this.rangeOf(queryPlan);

    let docs: RxDocumentData<RxDocType>[];
    if (readsPage(queryPlan)) {
      return this.rangeStatement(range, 'page')
        .all(range.lower, range.upper, sqlLimit(limit), skip)
        .map((row) => parseRow<RxDocType>(row));
    }
    if (!matcher) {
      docs = this.rangeStatement(range, 'rows')
        .all(range.lower, range.upper)
        .map((row) => parseRow<RxDocType>(row));
    } else if (!mustResort && limit !== Infinity) {
      // Stop reading once skip + limit documents matched, as the memory storage does.
      docs = [];
      const rows = this.rangeStatement(range, 'rows').iterate(range.lower, range.upper);
      for (const row of rows) {
        const doc = parseRow<RxDocType>(row);
        if (matcher(doc)) {
          docs.push(doc);
          // Leaving the loop ends the SQLite statement (for..of calls the iterator's return).
          if (docs.length >= skipPlusLimit) break;
        }
      }
    } else {
      docs = [];
      for (const row of this.rangeStatement(range, 'rows').all(range.lower, range.upper)) {
        const doc = parseRow<RxDocType>(row);
        if (matcher(doc)) docs.push(doc);
      }
    }
    if (mustResort) docs.sort(getSortComparator(this.schema, query));
    if (skip !== 0 || docs.length > skipPlusLimit) docs = docs.slice(skip, skipPlusLimit);
    return docs;
  }

  /**
   * SQLite's plan (EXPLAIN QUERY PLAN details) for the statement query() runs for this
   * prepared query: proves that screen queries are index range scans.
   */
  explainQuery(preparedQuery: PreparedQuery<RxDocType>): string[] {
    const range = this.rangeOf(preparedQuery.queryPlan);
    const kind = readsPage(preparedQuery.queryPlan) ? 'page' : 'rows';
    const params = kind === 'page' ? [range.lower, range.upper, -1, 0] : [range.lower, range.upper];
    const source = this.rangeStatement(range, kind).source;
    return (
      this.db.prepare('EXPLAIN QUERY PLAN ' + source).all(...params) as { detail: string }[]
    ).map((row) => row.detail);
  }

  count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    return this.read(() => {
      const { query, queryPlan } = preparedQuery;
      const range = this.rangeOf(queryPlan, 'count');
      // Like the memory storage, count ignores skip and limit.
      if (queryPlan.selectorSatisfiedByIndex) {
        const row = this.rangeStatement(range, 'count').get(range.lower, range.upper) as {
          n: number;
        };
        return { count: row.n, mode: 'fast' as const };
      }
      const matcher = getQueryMatcher(this.schema, query);
      let count = 0;
      for (const row of this.rangeStatement(range, 'rows').iterate(range.lower, range.upper)) {
        if (matcher(parseRow<RxDocType>(row))) count++;
      }
      return { count, mode: 'fast' as const };
    });
  }

  /** A plan on an index the schema lacks fails as in the memory storage (query and count differ). */
  private rangeOf(
    queryPlan: PreparedQuery<RxDocType>['queryPlan'],
    caller: 'query' | 'count' = 'query',
  ): QueryRange {
    const indexKey = indexKeyOf(queryPlan.index);
    const column = this.columnByIndexKey.get(indexKey);
    if (!column) {
      throw caller === 'count'
        ? newRxError('SNH', { args: { indexName: indexKey } })
        : new Error('index does not exist ' + indexKey);
    }
    return {
      column: column.column,
      ...getRangeKeys(this.schema, queryPlan),
      inclusiveStart: queryPlan.inclusiveStart,
      inclusiveEnd: queryPlan.inclusiveEnd,
    };
  }

  /** Range statements are prepared on first use and kept for the life of the instance. */
  private rangeStatement(range: QueryRange, kind: 'rows' | 'page' | 'count'): Statement {
    const key = `${range.column}|${range.inclusiveStart}|${range.inclusiveEnd}|${kind}`;
    let statement = this.rangeStatements.get(key);
    if (!statement) {
      const where = `${range.column} ${range.inclusiveStart ? '>=' : '>'} ? AND ${range.column} ${range.inclusiveEnd ? '<=' : '<'} ?`;
      const sql =
        kind === 'count'
          ? `SELECT count(*) AS n FROM ${this.table} WHERE ${where}`
          : `SELECT data FROM ${this.table} WHERE ${where} ORDER BY ${range.column}` +
            (kind === 'page' ? ' LIMIT ? OFFSET ?' : '');
      statement = this.db.prepare(sql);
      this.rangeStatements.set(key, statement);
    }
    return statement;
  }

  /** Exactly RxDB's own fallback (a query sorted by lwt, then primary key), run in SQL. */
  getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    return this.read(() => {
      const query = prepareQuery<RxDocType>(
        this.schema,
        getChangedDocumentsSinceQuery(this, limit, checkpoint),
      );
      const documents = this.runQuery(query);
      const lastDoc = documents[documents.length - 1];
      return {
        documents,
        checkpoint: lastDoc
          ? { id: lastDoc[this.primaryPath] as string, lwt: lastDoc._meta.lwt }
          : (checkpoint ?? { id: '', lwt: 0 }),
      };
    });
  }

  changeStream(): Observable<
    EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>
  > {
    this.ensureNotRemoved();
    return this.changes$.asObservable();
  }

  cleanup(minimumDeletedTime: number): Promise<boolean> {
    return this.read(() => {
      const maxDeletionTime = now() - minimumDeletedTime;
      this.durability.run('cleanup', () =>
        this.db
          .transaction(() => {
            if (this.attachmentStatements) {
              // Tombstones carry no attachments, except documents inserted already deleted.
              for (const row of this.selectTombstoneIds.all(maxDeletionTime) as { id: string }[]) {
                this.attachmentStatements.removeForDocument.run(row.id);
              }
            }
            this.purgeTombstones.run(maxDeletionTime);
          })
          .immediate(),
      );
      return true;
    });
  }

  getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    return this.read(() => {
      const row = this.attachmentStatements?.get.get(
        toSqlKey(documentId),
        toSqlKey(attachmentId),
      ) as AttachmentRow | undefined;
      if (!digest || !row || row.digest !== digest) {
        throw new Error('attachment does not exist: ' + documentId + '||' + attachmentId);
      }
      return new Blob([new Uint8Array(row.data)], { type: row.type });
    });
  }

  async remove(): Promise<void> {
    if (this.closed) throw new Error('closed');
    this.ensureNotRemoved();
    await this.attachmentQueue;
    this.durability.run('remove', () =>
      this.db
        .transaction(() => {
          this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
          this.db.exec(`DROP TABLE IF EXISTS ${this.attachmentTable}`);
        })
        .immediate(),
    );
    this.removed = true;
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.attachmentQueue.catch(() => undefined);
    this.changes$.complete();
    this.onClose();
  }

  private ensureNotRemoved(): void {
    if (this.removed) {
      throw new Error(
        `removed already ${this.databaseName} - ${this.collectionName} - ${this.schema.version}`,
      );
    }
  }

  private ensureUsable(): void {
    this.ensureNotRemoved();
    if (this.closed) {
      throw new Error(
        `storage instance is closed ${this.databaseName} - ${this.collectionName} - ${this.schema.version}`,
      );
    }
  }

  /** Reads run synchronously, after any attachment write that was called before them. */
  private read<T>(run: () => T): Promise<T> {
    if (this.hasAttachments) {
      return this.afterAttachmentWrites(() => {
        this.ensureUsable();
        return run();
      });
    }
    try {
      this.ensureUsable();
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private afterAttachmentWrites<T>(run: () => T | Promise<T>): Promise<T> {
    const result = this.attachmentQueue.then(run);
    this.attachmentQueue = result.catch(() => undefined);
    return result;
  }
}

type QueryRange = {
  column: string;
  lower: string;
  upper: string;
  inclusiveStart: boolean;
  inclusiveEnd: boolean;
};

function parseRow<RxDocType>(row: unknown): RxDocumentData<RxDocType> {
  return JSON.parse((row as { data: string }).data) as RxDocumentData<RxDocType>;
}

/** Skip and limit go into SQL only when the index alone yields the right rows in order. */
function readsPage(queryPlan: PreparedQuery<unknown>['queryPlan']): boolean {
  return queryPlan.selectorSatisfiedByIndex && queryPlan.sortSatisfiedByIndex;
}

/** SQLite's "no limit" is a negative LIMIT. */
function sqlLimit(limit: number): number {
  return limit === Infinity ? -1 : limit;
}

async function readAttachmentBytes<RxDocType>(
  rows: BulkWriteRow<RxDocType>[],
): Promise<AttachmentBytes> {
  const bytes: AttachmentBytes = new Map();
  for (const row of rows) {
    const attachments = row.document._attachments as Record<string, RxAttachmentWriteData>;
    for (const attachment of Object.values(attachments ?? {})) {
      if (attachment.data && !bytes.has(attachment.data)) {
        bytes.set(attachment.data, Buffer.from(await attachment.data.arrayBuffer()));
      }
    }
  }
  return bytes;
}
