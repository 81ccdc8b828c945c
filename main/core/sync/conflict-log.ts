// The workstation's local conflict log and small sync bookkeeping, in a SQLite file of its own in
// the user-data folder. Never replicated: what one workstation lost is its own to review.
// Values are stored as JSON for the review screen; they are patient data, so they stay in this
// file and never go to a log line.
import Database from 'better-sqlite3';
import { Subject, type Observable } from 'rxjs';
import type { SyncConflict } from '../../../shared/api/views';
import { newId } from '../../../shared/domain/ids';
import { sameValue } from './merge';

export const CONFLICT_LOG_FILE = 'sync-local.sqlite';

/** Why an entry exists: a merge this workstation lost, a push the server refused, or a clash
 * another workstation lost against a value this one pushed (told through an audit event). */
export type ConflictOrigin = 'merge' | 'refused' | 'remote';

export interface NewConflict {
  readonly collection: string;
  readonly documentId: string;
  readonly field: string;
  readonly localValue: unknown;
  readonly serverValue: unknown;
  readonly origin: ConflictOrigin;
}

interface ConflictRow {
  id: string;
  collection: string;
  document_id: string;
  field: string;
  local_value: string | null;
  server_value: string | null;
  detected_at: string;
  resolved: number;
  origin: ConflictOrigin;
}

/** Rows of pushed values are dropped after this long: a remote clash notice comes much sooner. */
const PUSHED_FIELD_RETENTION_MS = 30 * 86_400_000;

function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function fromJson(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

function toConflict(row: ConflictRow): SyncConflict & { origin: ConflictOrigin } {
  return {
    id: row.id,
    collection: row.collection,
    documentId: row.document_id,
    field: row.field,
    localValue: fromJson(row.local_value),
    serverValue: fromJson(row.server_value),
    detectedAt: row.detected_at,
    resolved: row.resolved === 1,
    origin: row.origin,
  };
}

export type LoggedConflict = ReturnType<typeof toConflict>;

export class ConflictLog {
  private readonly db: Database.Database;
  private readonly changed = new Subject<void>();
  private readonly now: () => Date;

  constructor(file: string, options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS conflicts (
        id TEXT PRIMARY KEY,
        collection TEXT NOT NULL,
        document_id TEXT NOT NULL,
        field TEXT NOT NULL,
        local_value TEXT,
        server_value TEXT,
        detected_at TEXT NOT NULL,
        resolved INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS conflicts_open ON conflicts (resolved, detected_at);
      CREATE INDEX IF NOT EXISTS conflicts_document ON conflicts (collection, document_id);
      CREATE TABLE IF NOT EXISTS pushed_fields (
        collection TEXT NOT NULL,
        document_id TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT,
        pushed_at TEXT NOT NULL,
        PRIMARY KEY (collection, document_id, field)
      );
      CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  get changes$(): Observable<void> {
    return this.changed.asObservable();
  }

  /**
   * Adds an entry, unless the same open clash (document, field, both values) is logged already:
   * RxDB may hand the same conflict over again when a push is retried.
   */
  record(entry: NewConflict): LoggedConflict | null {
    const open = this.db
      .prepare<[string, string, string], ConflictRow>(
        'SELECT * FROM conflicts WHERE collection = ? AND document_id = ? AND field = ? AND resolved = 0',
      )
      .all(entry.collection, entry.documentId, entry.field)
      .map(toConflict);
    if (
      open.some(
        (row) =>
          sameValue(row.localValue ?? null, entry.localValue ?? null) &&
          sameValue(row.serverValue ?? null, entry.serverValue ?? null),
      )
    ) {
      return null;
    }
    const row: ConflictRow = {
      id: newId(),
      collection: entry.collection,
      document_id: entry.documentId,
      field: entry.field,
      local_value: toJson(entry.localValue),
      server_value: toJson(entry.serverValue),
      detected_at: this.now().toISOString(),
      resolved: 0,
      origin: entry.origin,
    };
    this.db
      .prepare(
        `INSERT INTO conflicts (id, collection, document_id, field, local_value, server_value,
           detected_at, resolved, origin)
         VALUES (@id, @collection, @document_id, @field, @local_value, @server_value,
           @detected_at, @resolved, @origin)`,
      )
      .run(row);
    this.changed.next();
    return toConflict(row);
  }

  list(options: { includeResolved?: boolean } = {}): LoggedConflict[] {
    const where = options.includeResolved ? '' : 'WHERE resolved = 0';
    return this.db
      .prepare<[], ConflictRow>(`SELECT * FROM conflicts ${where} ORDER BY detected_at, id`)
      .all()
      .map(toConflict);
  }

  get(id: string): LoggedConflict | null {
    const row = this.db
      .prepare<[string], ConflictRow>('SELECT * FROM conflicts WHERE id = ?')
      .get(id);
    return row ? toConflict(row) : null;
  }

  markResolved(id: string): void {
    const result = this.db.prepare('UPDATE conflicts SET resolved = 1 WHERE id = ?').run(id);
    if (result.changes > 0) this.changed.next();
  }

  countOpen(): number {
    return (
      this.db
        .prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM conflicts WHERE resolved = 0')
        .get()?.n ?? 0
    );
  }

  /** Values this workstation pushed over an agreed base: what it would have won a clash with. */
  rememberPushedFields(
    collection: string,
    documentId: string,
    fields: Readonly<Record<string, unknown>>,
  ): void {
    const at = this.now().toISOString();
    const upsert = this.db.prepare(
      `INSERT INTO pushed_fields (collection, document_id, field, value, pushed_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (collection, document_id, field) DO UPDATE SET
         value = excluded.value, pushed_at = excluded.pushed_at`,
    );
    this.db.transaction(() => {
      for (const [field, value] of Object.entries(fields)) {
        upsert.run(collection, documentId, field, toJson(value), at);
      }
    })();
  }

  pushedValue(
    collection: string,
    documentId: string,
    field: string,
  ): { readonly value: unknown } | undefined {
    const row = this.db
      .prepare<[string, string, string], { value: string | null }>(
        'SELECT value FROM pushed_fields WHERE collection = ? AND document_id = ? AND field = ?',
      )
      .get(collection, documentId, field);
    return row ? { value: fromJson(row.value) } : undefined;
  }

  prunePushedFields(): void {
    const before = new Date(this.now().getTime() - PUSHED_FIELD_RETENTION_MS).toISOString();
    this.db.prepare('DELETE FROM pushed_fields WHERE pushed_at < ?').run(before);
  }

  getState(key: string): string | null {
    return (
      this.db
        .prepare<[string], { value: string }>('SELECT value FROM sync_state WHERE key = ?')
        .get(key)?.value ?? null
    );
  }

  setState(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  close(): void {
    this.changed.complete();
    if (this.db.open) this.db.close();
  }
}
