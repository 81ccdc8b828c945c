// Background sync of one workstation: every clinic collection replicated with the sync server
// through shared/sync (RxDB's replication protocol over HTTP), one server-sent-events stream for
// all of them, one retry gate (backoff.ts) for every request, field merges on conflict
// (conflict-handler.ts), and the status the UI shows. Local edits are never at risk here: RxDB
// keeps a write in the local database and pushes it until the server accepts it; the controller
// only decides when to try.
import {
  BehaviorSubject,
  Subject,
  auditTime,
  bufferTime,
  combineLatest,
  distinctUntilChanged,
  filter,
  merge,
  Observable,
  type Subscription,
} from 'rxjs';
import type { RxCollection } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import type { SyncConflict, SyncStatus } from '../../../shared/api/views';
import { newId } from '../../../shared/domain/ids';
import {
  COLLECTION_NAMES,
  collectionSchemas,
  type AuditEvent,
  type ClinicalNote,
  type ClinicDatabase,
  type CollectionName,
} from '../../../shared/domain/schemas/index';
import { toStoredInstant } from '../../../shared/domain/time';
import {
  ClinicChangeStream,
  RESYNC_HEADER,
  parseRefusedHeader,
  replicateClinicCollection,
  type ServerHello,
  type StreamPoke,
  type SyncCheckpoint,
} from '../../../shared/sync/index';
import { isReplicationPullContext } from '../../../shared/storage/index';
import { clinicDatabaseName } from '../database';
import { ServiceError } from '../service-table';
import { ServerUnreachableError } from './auth-client';
import { DEFAULT_BACKOFF, RetryGate, gatedFetch, type BackoffPolicy } from './backoff';
import { createConflictHandler } from './conflict-handler';
import type { ConflictLog, LoggedConflict } from './conflict-log';
import { flagDoubleBookings } from './double-booking';
import { sameValue, withDerivedFields, type FieldClash, type PlainDocument } from './merge';
import { countPendingChanges } from './pending';
import type { SessionManager } from './session';

/** Pulled only: the staff list is written by the server. */
const PULL_ONLY: ReadonlySet<CollectionName> = new Set(['staff']);
/** A clock further off than this is reported (never used for ordering). */
export const CLOCK_SKEW_REPORT_MS = 60_000;
/** Audit action prefix telling the other workstations that a clash was lost here. */
export const CONFLICT_AUDIT_PREFIX = 'sync.conflict.';
const LAST_SYNCED_KEY = 'lastSyncedAt';
/**
 * Documents per pull. An initial sync is a chain of pulls per collection, each waiting for the
 * last: 1000 halved it against 200 (50,000-patient clinic). A page is a few MB of JSON.
 */
export const PULL_BATCH_SIZE = 1000;

export interface SyncLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

const silentLog: SyncLog = { info: () => undefined, warn: () => undefined };

export interface SyncControllerOptions {
  readonly session: SessionManager;
  readonly conflicts: ConflictLog;
  readonly fetch?: typeof fetch;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  readonly now?: () => Date;
  /** Rows per push. */
  readonly batchSize?: number;
  /** Documents per pull (default PULL_BATCH_SIZE). */
  readonly pullBatchSize?: number;
  /** RxDB's own retry pause around a request waiting at the gate (short: the gate paces). */
  readonly rxdbRetryMs?: number;
  /** Base of the change stream's reconnect delay. */
  readonly streamRetryMs?: number;
  readonly log?: SyncLog;
}

type AnyReplication = RxReplicationState<unknown, SyncCheckpoint>;

interface Running {
  readonly gate: RetryGate;
  readonly stream: ChangeStreamHub;
  readonly replications: ReadonlyMap<CollectionName, AnyReplication>;
  readonly subscriptions: Subscription[];
}

/** The action segment of a field name: `firstName` → `first_name`, `_deleted` → `deleted`. */
export function fieldToActionSegment(field: string): string {
  return field.replace(/^_+/, '').replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function fieldFromActionSegment(collection: CollectionName, segment: string): string | null {
  const fields = [...Object.keys(collectionSchemas[collection].properties), '_deleted'];
  return fields.find((field) => fieldToActionSegment(field) === segment) ?? null;
}

function errorMessageFor(kind: 'unreachable' | 'rejected' | 'signed_out', status?: number): string {
  if (kind === 'signed_out')
    return 'The session ended; sign in again to sync. Local changes are kept.';
  if (kind === 'unreachable') {
    return 'The sync server cannot be reached; changes are kept here and sent when it is back.';
  }
  return `The sync server refused a request${status ? ` (HTTP ${status})` : ''}; retrying.`;
}

function bearerOf(init: RequestInit | undefined): string | null {
  const headers = new Headers(init?.headers);
  const match = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '');
  return match?.[1] ?? null;
}

/**
 * One change stream for every collection that can be restarted: when the server comes back the
 * stream reconnects at once instead of finishing its own backoff sleep. shared/sync's
 * replicateClinicCollection only calls `streamFor` on the stream it is given.
 */
class ChangeStreamHub {
  private readonly pokes = new Subject<StreamPoke>();
  private current: ClinicChangeStream | undefined;
  private readonly create: () => ClinicChangeStream;

  constructor(create: () => ClinicChangeStream) {
    this.create = create;
  }

  streamFor(collection: string): Observable<'RESYNC'> {
    return new Observable<'RESYNC'>((subscriber) =>
      this.pokes
        .pipe(filter((poke) => poke.kind === 'all' || poke.collection === collection))
        .subscribe(() => subscriber.next('RESYNC')),
    );
  }

  restart(): void {
    // The old stream may sit in its backoff sleep: let it end on its own.
    void this.current?.stop();
    const stream = this.create();
    stream.events$.subscribe((poke) => this.pokes.next(poke));
    stream.start();
    this.current = stream;
  }

  async stop(): Promise<void> {
    const stream = this.current;
    this.current = undefined;
    this.pokes.complete();
    // Bounded: a stream sleeping before a reconnect ends when its timer fires.
    await Promise.race([stream?.stop(), new Promise((resolve) => setTimeout(resolve, 500))]);
  }
}

export class SyncController {
  private readonly options: SyncControllerOptions;
  private readonly session: SessionManager;
  private readonly conflicts: ConflictLog;
  private readonly log: SyncLog;
  private readonly now: () => Date;
  private readonly statusSubject: BehaviorSubject<SyncStatus>;
  private readonly recount = new Subject<void>();
  private db: ClinicDatabase | undefined;
  private running: Running | undefined;
  private sessionSubscription: Subscription | undefined;
  private backgroundSubscriptions: Subscription[] = [];
  private refusedForResolve = new Set<string>();
  private lastHttpStatus: number | undefined;
  private lastHelloAt = 0;
  private lastClosedAt = 0;
  private transition: Promise<void> = Promise.resolve();
  private pendingByCollection = new Map<CollectionName, number>();
  private background: Promise<unknown>[] = [];
  private resyncs = 0;

  constructor(options: SyncControllerOptions) {
    this.options = options;
    this.session = options.session;
    this.conflicts = options.conflicts;
    this.log = options.log ?? silentLog;
    this.now = options.now ?? (() => new Date());
    this.statusSubject = new BehaviorSubject<SyncStatus>({
      connection: this.session.authState === 'active' ? 'connecting' : 'signed_out',
      lastSyncedAt: this.conflicts.getState(LAST_SYNCED_KEY),
      pendingChanges: 0,
      openConflicts: this.conflicts.countOpen(),
      lastError: null,
      clockSkewMs: null,
      nextRetryInSeconds: null,
    });
  }

  get status$(): Observable<SyncStatus> {
    return this.statusSubject.pipe(
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    );
  }

  status(): SyncStatus {
    return this.statusSubject.value;
  }

  /** How many pulls the server answered with RESYNC (diagnostics). */
  get resyncCount(): number {
    return this.resyncs;
  }

  /** The running replication of a collection (tests and diagnostics). */
  replicationOf(collection: CollectionName): AnyReplication | undefined {
    return this.running?.replications.get(collection);
  }

  /**
   * Attaches the clinic database and syncs whenever the session allows (signed in to this clinic):
   * signing out or a refused session stops syncing, signing in again resumes.
   */
  async start(db: ClinicDatabase): Promise<void> {
    if (this.db) throw new Error('The sync controller is already started.');
    this.db = db;
    for (const name of COLLECTION_NAMES) {
      // RxDB reads the handler when a replication starts; the database is opened elsewhere.
      (db[name] as RxCollection).conflictHandler = createConflictHandler(name, {
        log: this.conflicts,
        takeRefused: (collection, id) => this.refusedForResolve.delete(`${collection}/${id}`),
        onTextLost: (collection, local, server, field) =>
          this.keepLostText(collection, local, server, field),
        onClashesLost: (collection, documentId, clashes) =>
          this.announceLostClashes(collection, documentId, clashes),
      });
    }
    this.backgroundSubscriptions.push(
      this.conflicts.changes$.subscribe(() =>
        this.patchStatus({ openConflicts: this.conflicts.countOpen() }),
      ),
      this.recount.pipe(auditTime(250)).subscribe(() => void this.countPending()),
      // Only local writes change what is pending: documents stored from a pull never do (RxDB
      // does not let them overwrite an unpushed edit), and an initial sync is 100,000 of them.
      merge(...COLLECTION_NAMES.map((name) => db[name].eventBulks$))
        .pipe(filter((bulk) => !isReplicationPullContext(bulk.context)))
        .subscribe(() => this.recount.next()),
    );
    this.sessionSubscription = this.session.authState$.subscribe((auth) => {
      this.transition = this.transition.then(() =>
        auth === 'active' ? this.startReplication() : this.stopReplication(true),
      );
    });
    await this.transition;
    this.recount.next();
  }

  /** Stops syncing; the database stays open (its owner closes it). */
  async stop(): Promise<void> {
    this.sessionSubscription?.unsubscribe();
    this.sessionSubscription = undefined;
    await this.transition;
    await this.stopReplication(false);
    for (const subscription of this.backgroundSubscriptions) subscription.unsubscribe();
    this.backgroundSubscriptions = [];
    await Promise.allSettled(this.background);
    this.db = undefined;
  }

  /** "Sync now": skip the backoff wait and run a pull round on every collection. */
  syncNow(): Promise<void> {
    const running = this.running;
    if (!running) return Promise.resolve();
    running.gate.retryNow();
    for (const replication of running.replications.values()) replication.reSync();
    return Promise.resolve();
  }

  /** Resolves when every collection is in sync with the server (tests, shutdown). */
  async awaitInSync(): Promise<void> {
    const running = this.running;
    if (!running) throw new Error('Sync is not running.');
    await Promise.all([...running.replications.values()].map((r) => r.awaitInSync()));
    await Promise.allSettled(this.background);
    await this.countPending();
  }

  /** "Keep mine" writes the local value as a new revision; "keep theirs" closes the entry. */
  async resolveConflict(
    conflict: LoggedConflict,
    keep: 'mine' | 'theirs',
    writer: { userId: string | null },
  ): Promise<void> {
    if (keep === 'mine') {
      const db = this.db;
      if (!db) throw new ServiceError('conflict', 'Open the clinic before resolving conflicts.');
      await this.writeLocalValue(db, conflict, writer.userId);
    }
    this.conflicts.markResolved(conflict.id);
  }

  private async writeLocalValue(
    db: ClinicDatabase,
    conflict: LoggedConflict,
    userId: string | null,
  ): Promise<void> {
    const collection = db[conflict.collection as CollectionName] as RxCollection | undefined;
    const [stored] = collection
      ? await collection.storageInstance.findDocumentsById([conflict.documentId], true)
      : [];
    if (!collection || !stored) {
      throw new ServiceError('not_found', 'The record is not on this workstation any more.');
    }
    if (conflict.collection === 'clinical_notes' && stored['status'] === 'signed') {
      throw new ServiceError(
        'conflict',
        'A signed note cannot change; your text is kept as a draft note to amend it with.',
      );
    }
    const { _meta: _m, _rev: _r, _attachments: _a, ...current } = stored as Record<string, unknown>;
    let next: Record<string, unknown>;
    if (conflict.field === '*') {
      next = { ...current };
    } else if (conflict.field === '_deleted') {
      next = { ...current, _deleted: conflict.localValue === true };
    } else {
      next = { ...current };
      if (conflict.localValue === null || conflict.localValue === undefined) {
        delete next[conflict.field];
      } else {
        next[conflict.field] = conflict.localValue;
      }
    }
    next = withDerivedFields(conflict.collection, {
      ...next,
      updatedAt: toStoredInstant(this.now()),
      ...(userId ? { updatedBy: userId } : {}),
    });
    const deleted = next['_deleted'] === true;
    delete next['_deleted'];
    if (deleted) {
      const doc = await collection.findOne(conflict.documentId).exec();
      await doc?.remove();
    } else {
      await collection.upsert(next);
    }
  }

  private patchStatus(patch: Partial<SyncStatus>): void {
    this.statusSubject.next({ ...this.statusSubject.value, ...patch });
  }

  private async startReplication(): Promise<void> {
    const db = this.db;
    const target = this.session.syncTarget;
    if (!db || !target || this.running) return;
    // Never sync one clinic's replica with another clinic's sign-in. (Several workstations in
    // one test process need distinct names, hence a prefix.)
    if (!db.name.startsWith(clinicDatabaseName(target.clinicId))) {
      this.patchStatus({ connection: 'signed_out', lastError: 'Signed in to another clinic.' });
      return;
    }
    this.patchStatus({ connection: 'connecting', lastError: null, nextRetryInSeconds: null });

    const gate = new RetryGate({
      policy: this.options.backoff ?? DEFAULT_BACKOFF,
      ...(this.options.random ? { random: this.options.random } : {}),
    });
    const innerFetch = this.options.fetch ?? fetch;
    const doFetch = this.observedFetch(
      gatedFetch(gate, innerFetch, {
        onResponse: (_url, response, init) => {
          this.lastHttpStatus = response.status;
          if (response.status === 401) this.session.rejectAccessToken(bearerOf(init));
        },
      }),
    );
    // Refreshing the token is a request to the server too: it waits at the gate like the rest.
    const getAccessToken = async (): Promise<string> => {
      const ticket = await gate.admit();
      try {
        return await this.session.getAccessToken();
      } catch (error) {
        if (error instanceof ServerUnreachableError) gate.failed(ticket, 'unreachable');
        throw error;
      }
    };

    const replications = new Map<CollectionName, AnyReplication>();
    const stream = new ChangeStreamHub(
      () =>
        new ClinicChangeStream({
          serverUrl: target.serverUrl,
          getAccessToken,
          fetch: doFetch,
          retryTimeMs: this.options.streamRetryMs ?? 1000,
          getCheckpoint: () => this.lowestCheckpoint(replications),
          onHello: (hello) => this.onHello(hello),
          onError: () => undefined,
        }),
    );
    for (const name of COLLECTION_NAMES) {
      const replication = replicateClinicCollection<unknown>({
        collection: db[name] as RxCollection<unknown>,
        serverUrl: target.serverUrl,
        getAccessToken,
        fetch: doFetch,
        live: true,
        batchSize: this.options.batchSize ?? 200,
        pullBatchSize: this.options.pullBatchSize ?? PULL_BATCH_SIZE,
        retryTime: this.options.rxdbRetryMs ?? 250,
        // The hub is used only through streamFor(); see ChangeStreamHub.
        changeStream: stream as unknown as ClinicChangeStream,
        autoStart: false,
      });
      if (PULL_ONLY.has(name)) {
        // shared/sync pushes every collection; the staff list is the server's alone.
        (replication as { push?: unknown }).push = undefined;
      }
      replications.set(name, replication as AnyReplication);
    }

    const subscriptions: Subscription[] = [];
    const running: Running = { gate, stream, replications, subscriptions };
    this.running = running;
    subscriptions.push(
      gate.state$.subscribe((state) => this.onGateState(running, state)),
      ...[...replications.entries()].map(([name, replication]) =>
        replication.error$.subscribe((error) => this.onReplicationError(name, error)),
      ),
      // Pulled documents are counted again when the round ends (onActivity), not one by one.
      merge(...[...replications.values()].map((r) => r.sent$)).subscribe(() => this.recount.next()),
      combineLatest([...replications.values()].map((r) => r.active$)).subscribe((active) =>
        this.onActivity(running, active),
      ),
      replications
        .get('appointments')!
        .received$.pipe(
          bufferTime(200),
          filter((docs) => docs.length > 0),
        )
        .subscribe((docs) =>
          this.track(
            flagDoubleBookings(
              db,
              docs
                .map((doc) => doc as unknown as PlainDocument)
                .filter((doc) => !doc._deleted)
                .map((doc) => String(doc['id'])),
              {
                now: () => toStoredInstant(this.now()),
                userId: this.session.current().user?.id ?? null,
              },
            ),
          ),
        ),
      replications
        .get('audit_events')!
        .received$.subscribe((doc) => this.onAuditEvent(doc as unknown as AuditEvent)),
    );
    stream.restart();
    await Promise.all([...replications.values()].map((replication) => replication.start()));
    this.log.info({ collections: replications.size }, 'sync started');
  }

  private async stopReplication(signedOut: boolean): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (running) {
      for (const subscription of running.subscriptions) subscription.unsubscribe();
      running.gate.dispose();
      await running.stream.stop();
      await Promise.all([...running.replications.values()].map((r) => r.cancel()));
      this.log.info({}, 'sync stopped');
    }
    if (signedOut) {
      this.patchStatus({
        connection: 'signed_out',
        nextRetryInSeconds: null,
        lastError: this.session.authState === 'refused' ? errorMessageFor('signed_out') : null,
      });
    }
  }

  private onGateState(running: Running, state: RetryGate['state']): void {
    if (this.running !== running) return;
    if (state.kind === 'closed') {
      this.lastClosedAt = Date.now();
      this.patchStatus({
        connection: state.reason === 'unreachable' ? 'offline' : 'online',
        nextRetryInSeconds: Math.max(1, Math.ceil((state.retryAt - Date.now()) / 1000)),
        lastError: errorMessageFor(state.reason, this.lastHttpStatus),
      });
    } else if (state.kind === 'unknown') {
      if (this.lastClosedAt === 0) return;
      // A retry round after the wait: every collection pulls once, which also probes the server.
      this.patchStatus({ connection: 'connecting', nextRetryInSeconds: null });
      for (const replication of running.replications.values()) replication.reSync();
    } else {
      this.patchStatus({ connection: 'online', nextRetryInSeconds: null });
      // Back after an outage: reconnect the change stream now rather than after its own backoff.
      if (this.lastClosedAt > 0 && this.lastHelloAt < this.lastClosedAt) running.stream.restart();
    }
  }

  private onActivity(running: Running, active: boolean[]): void {
    // Idle with the gate open: every pull and push of the round went through (RxDB keeps a
    // replication active while it retries a failed request).
    if (this.running !== running || active.some(Boolean)) return;
    if (running.gate.state.kind !== 'open') return;
    const at = toStoredInstant(this.now());
    this.conflicts.setState(LAST_SYNCED_KEY, at);
    this.patchStatus({ lastSyncedAt: at, lastError: null });
    this.recount.next();
  }

  private onReplicationError(collection: CollectionName, error: unknown): void {
    // RxDB's errors quote the documents involved: log the collection and code only.
    const code = (error as { code?: unknown }).code;
    this.log.warn(
      { collection, code: typeof code === 'string' ? code : undefined },
      'sync request failed; retrying',
    );
  }

  private onHello(hello: ServerHello): void {
    this.lastHelloAt = Date.now();
    this.patchStatus({
      clockSkewMs: Math.abs(hello.skewMs) > CLOCK_SKEW_REPORT_MS ? Math.round(hello.skewMs) : null,
    });
    if (hello.restarted) this.log.info({}, 'sync server restarted');
  }

  private lowestCheckpoint(replications: ReadonlyMap<CollectionName, AnyReplication>): number {
    let lowest = 0;
    for (const replication of replications.values()) {
      const seq = (
        replication.internalReplicationState?.lastCheckpointDoc.down?.checkpointData as
          SyncCheckpoint | undefined
      )?.seq;
      if (seq !== undefined && seq > 0 && (lowest === 0 || seq < lowest)) lowest = seq;
    }
    return lowest;
  }

  private async countPending(): Promise<void> {
    const running = this.running;
    if (!running) return;
    await Promise.all(
      [...running.replications.entries()].map(async ([name, replication]) => {
        try {
          const count = await countPendingChanges(
            replication as RxReplicationState<unknown, unknown>,
          );
          if (count !== null) this.pendingByCollection.set(name, count);
        } catch {
          // Storage closing under us (stop): keep the last count.
        }
      }),
    );
    let total = 0;
    for (const count of this.pendingByCollection.values()) total += count;
    this.patchStatus({ pendingChanges: total });
  }

  /**
   * Watches sync requests for what RxDB does not report: rows the server refused (logged, and
   * resolved server-side so they are not pushed forever), values this workstation got accepted
   * over an agreed base (to recognise a clash another workstation lost), and RESYNC answers.
   */
  private observedFetch(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      const response = await inner(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const match = /\/v1\/sync\/([a-z_]+)\/(pull|push)$/.exec(url);
      if (!match || !response.ok) return response;
      const collection = match[1] as CollectionName;
      if (match[2] === 'pull') {
        if (response.headers.get(RESYNC_HEADER)) {
          // shared/sync pulls this collection again from the start; RxDB's downstream never
          // overwrites a document with unpushed local changes, so those are pushed afterwards.
          this.resyncs += 1;
          this.log.info({ collection }, 'server asked for a resync; pulling from the start');
        }
        return response;
      }
      try {
        const rows = JSON.parse(String(init?.body ?? '[]')) as {
          newDocumentState: PlainDocument;
          assumedMasterState?: PlainDocument;
        }[];
        const masters = (await response.clone().json()) as PlainDocument[];
        this.notePushOutcome(collection, rows, masters, parseRefusedHeader(response));
      } catch {
        // Bookkeeping only: the push itself is RxDB's business.
      }
      return response;
    };
  }

  private notePushOutcome(
    collection: CollectionName,
    rows: readonly { newDocumentState: PlainDocument; assumedMasterState?: PlainDocument }[],
    masters: readonly PlainDocument[],
    refused: ReturnType<typeof parseRefusedHeader>,
  ): void {
    const withMaster = new Set(masters.map((doc) => String(doc['id'])));
    const refusedIds = new Set(refused.rows.map((row) => row.id));
    for (const id of refusedIds) {
      if (withMaster.has(id)) {
        this.refusedForResolve.add(`${collection}/${id}`);
      } else {
        const row = rows.find((candidate) => candidate.newDocumentState['id'] === id);
        this.conflicts.record({
          collection,
          documentId: id,
          field: '*',
          localValue: row?.newDocumentState ?? null,
          serverValue: null,
          origin: 'refused',
        });
      }
    }
    if (refused.total > 0) {
      this.patchStatus({
        lastError: `The sync server refused ${refused.total} change${refused.total === 1 ? '' : 's'}; see the conflicts list.`,
      });
    }
    for (const row of rows) {
      const id = String(row.newDocumentState['id']);
      const base = row.assumedMasterState;
      if (!base || withMaster.has(id) || refusedIds.has(id)) continue;
      const changed: Record<string, unknown> = {};
      for (const field of new Set([...Object.keys(base), ...Object.keys(row.newDocumentState)])) {
        if (field === 'updatedAt' || field === 'updatedBy' || field.startsWith('_')) continue;
        if (!sameValue(base[field], row.newDocumentState[field])) {
          changed[field] = row.newDocumentState[field] ?? null;
        }
      }
      if (row.newDocumentState._deleted !== base._deleted) {
        changed['_deleted'] = row.newDocumentState._deleted === true;
      }
      if (Object.keys(changed).length > 0) {
        this.conflicts.rememberPushedFields(collection, id, changed);
      }
    }
  }

  /** A clinical note's text lost a clash: keep it as a new draft note beside the stored one. */
  private keepLostText(
    collection: string,
    local: PlainDocument,
    server: PlainDocument,
    field: string,
  ): void {
    const db = this.db;
    if (!db || collection !== 'clinical_notes' || field !== 'body') return;
    const localNote = local as unknown as ClinicalNote;
    const serverNote = server as unknown as ClinicalNote;
    if (!localNote.body) return;
    const at = toStoredInstant(this.now());
    const copy: ClinicalNote = {
      id: newId(),
      clinicId: serverNote.clinicId,
      updatedAt: at,
      updatedBy: this.session.current().user?.id ?? localNote.updatedBy,
      patientId: serverNote.patientId,
      providerId: localNote.providerId,
      ...(localNote.appointmentId ? { appointmentId: localNote.appointmentId } : {}),
      body: localNote.body,
      status: 'draft',
      ...(serverNote.status === 'signed' ? { amendsNoteId: serverNote.id } : {}),
      createdAt: at,
    };
    // Not inside RxDB's conflict resolution: the copy is an ordinary local write after it.
    this.track(
      new Promise((resolve) => setImmediate(resolve)).then(() => db.clinical_notes.insert(copy)),
    );
  }

  /** Tells the other workstations (through the replicated audit trail, ids only) what we lost. */
  private announceLostClashes(
    collection: string,
    documentId: string,
    clashes: readonly FieldClash[],
  ): void {
    const db = this.db;
    const current = this.session.current();
    if (!db || !current.clinic || !current.deviceId) return;
    const actorId = current.user?.id;
    if (!actorId) return;
    const at = toStoredInstant(this.now());
    const events: AuditEvent[] = clashes.map((clash) => ({
      id: newId(),
      clinicId: current.clinic!.id,
      updatedAt: at,
      updatedBy: actorId,
      actorId,
      deviceId: current.deviceId!,
      action: `${CONFLICT_AUDIT_PREFIX}${fieldToActionSegment(clash.field)}`.slice(0, 64),
      entity: collection as CollectionName,
      entityId: documentId,
      at,
    }));
    this.track(
      new Promise((resolve) => setImmediate(resolve)).then(() =>
        db.audit_events.bulkInsert(events),
      ),
    );
  }

  /** Another workstation lost a clash on a value this one pushed: log it here too. */
  private onAuditEvent(event: AuditEvent): void {
    if (!event.action.startsWith(CONFLICT_AUDIT_PREFIX)) return;
    if (event.deviceId === this.session.current().deviceId) return;
    const field = fieldFromActionSegment(
      event.entity,
      event.action.slice(CONFLICT_AUDIT_PREFIX.length),
    );
    if (!field) return;
    const pushed = this.conflicts.pushedValue(event.entity, event.entityId, field);
    const db = this.db;
    if (!pushed || !db) return;
    this.track(
      (async () => {
        const [stored] = await (db[event.entity] as RxCollection).storageInstance.findDocumentsById(
          [event.entityId],
          true,
        );
        const serverValue =
          field === '_deleted'
            ? (stored as PlainDocument | undefined)?._deleted === true
            : ((stored as PlainDocument | undefined)?.[field] ?? null);
        this.conflicts.record({
          collection: event.entity,
          documentId: event.entityId,
          field,
          localValue: pushed.value,
          serverValue,
          origin: 'remote',
        });
      })(),
    );
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => {
      this.log.warn(
        { error: error instanceof Error ? error.name : typeof error },
        'sync follow-up write failed',
      );
    });
    this.background.push(guarded);
    void guarded.finally(() => {
      this.background = this.background.filter((item) => item !== guarded);
    });
  }
}

/** The contract's view of a log entry. */
export function conflictView(entry: LoggedConflict): SyncConflict {
  const { origin: _origin, ...view } = entry;
  return view;
}
