// The server benchmark's cases, each against a running server over loopback HTTP, each bounded by
// a count and a time budget (whichever comes first), so a slow store shortens a case instead of
// hanging the run.
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { filter, firstValueFrom, timeout } from 'rxjs';
import type { ReplicatedDocument } from '../../sync-server/store/types';
import { openSse, type SseProbe } from '../../sync-server/test-support/sse';
import {
  clinicCollectionCreators,
  COLLECTION_NAMES,
  type ClinicCollections,
  type Patient,
} from '../../shared/domain/schemas/index';
import { getRxStorageSQLite } from '../../shared/storage/index';
import { ClinicChangeStream, replicateClinicCollection } from '../../shared/sync/index';
import { REFUSED_HEADER } from '../../shared/sync/protocol';
import { benchPatient } from './fixtures';

addRxPlugin(RxDBMigrationSchemaPlugin);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(url: string, token: string, body: string): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

// --- Push and pull throughput ----------------------------------------------------------------

export interface ThroughputResult {
  readonly documents: number;
  readonly millis: number;
  readonly docsPerSecond: number;
  readonly requests: number;
  /** True when the time budget, not the document count, ended the case. */
  readonly timeBound: boolean;
}

/**
 * Concurrent clients push batches of new patients. Bodies are serialized before the clock starts
 * so the clients spend the (shared, 2-core) CPU on HTTP, not on building JSON.
 */
export async function pushThroughput(options: {
  serverUrl: string;
  token: string;
  clinicId: string;
  documents: number;
  batchSize: number;
  clients: number;
  maxMs: number;
}): Promise<ThroughputResult> {
  const batches: { body: string; rows: number }[] = [];
  for (let made = 0; made < options.documents; made += options.batchSize) {
    const rows = Math.min(options.batchSize, options.documents - made);
    const body = JSON.stringify(
      Array.from({ length: rows }, () => ({ newDocumentState: benchPatient(options.clinicId) })),
    );
    batches.push({ body, rows });
  }
  const url = `${options.serverUrl}/v1/sync/patients/push`;
  let next = 0;
  let documents = 0;
  let timeBound = false;
  const started = performance.now();
  const client = async (): Promise<void> => {
    for (;;) {
      if (performance.now() - started > options.maxMs) {
        timeBound = next < batches.length;
        return;
      }
      const batch = batches[next];
      if (batch === undefined) return;
      next += 1;
      const response = await post(url, options.token, batch.body);
      const conflicts = (await response.json()) as unknown[];
      if (conflicts.length > 0 || response.headers.get(REFUSED_HEADER)) {
        throw new Error('a benchmark push was not accepted whole');
      }
      documents += batch.rows;
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  const millis = performance.now() - started;
  return {
    documents,
    millis,
    docsPerSecond: (documents / millis) * 1000,
    requests: next,
    timeBound,
  };
}

/** One client pages through a whole collection from the start. */
export async function pullThroughput(options: {
  serverUrl: string;
  token: string;
  collection: string;
  limit: number;
  maxMs: number;
}): Promise<ThroughputResult> {
  const url = `${options.serverUrl}/v1/sync/${options.collection}/pull`;
  let checkpoint: { seq: number } | null = null;
  let documents = 0;
  let requests = 0;
  let timeBound = false;
  const started = performance.now();
  for (;;) {
    if (performance.now() - started > options.maxMs) {
      timeBound = true;
      break;
    }
    const response = await post(
      url,
      options.token,
      JSON.stringify({ checkpoint, limit: options.limit }),
    );
    requests += 1;
    const page = (await response.json()) as {
      documents: ReplicatedDocument[];
      checkpoint: { seq: number };
    };
    if (page.documents.length === 0) break;
    documents += page.documents.length;
    checkpoint = page.checkpoint;
  }
  const millis = performance.now() - started;
  return { documents, millis, docsPerSecond: (documents / millis) * 1000, requests, timeBound };
}

// --- RxDB clients ----------------------------------------------------------------------------

async function openClientDatabase(
  directory: string,
  name: string,
  collections: readonly (keyof ClinicCollections)[],
): Promise<RxDatabase<ClinicCollections>> {
  const db = await createRxDatabase<ClinicCollections>({
    name,
    storage: getRxStorageSQLite({ directory }),
    multiInstance: false,
  });
  const creators = clinicCollectionCreators();
  await db.addCollections(
    Object.fromEntries(collections.map((collection) => [collection, creators[collection]])),
  );
  return db;
}

export interface InitialSyncResult {
  readonly millis: number;
  readonly documents: number;
  readonly timedOut: boolean;
  /** Failed pulls RxDB retried (the local counts are checked after all). */
  readonly replicationErrors: number;
}

/**
 * An empty workstation database (our SQLite RxStorage, in `directory`) replicates every clinic
 * collection live, sharing one change stream, as the desktop does; timed from creating the
 * database until every collection's initial replication is done. The local counts are checked
 * against what the server holds afterwards.
 */
export async function initialSync(options: {
  serverUrl: string;
  token: string;
  directory: string;
  batchSize: number;
  expected: Readonly<Record<string, number>>;
  maxMs: number;
}): Promise<InitialSyncResult> {
  const started = performance.now();
  const db = await openClientDatabase(options.directory, 'initial-sync', COLLECTION_NAMES);
  const changeStream = new ClinicChangeStream({
    serverUrl: options.serverUrl,
    getAccessToken: () => options.token,
  });
  const replications = COLLECTION_NAMES.map((name) =>
    replicateClinicCollection({
      collection: db.collections[name] as RxCollection,
      serverUrl: options.serverUrl,
      getAccessToken: () => options.token,
      changeStream,
      batchSize: options.batchSize,
    }),
  );
  changeStream.start();
  let replicationErrors = 0;
  for (const replication of replications) {
    replication.error$.subscribe(() => {
      replicationErrors += 1;
    });
  }
  let timedOut = false;
  let budget: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all(replications.map((replication) => replication.awaitInitialReplication())),
      new Promise<void>((resolve) => {
        budget = setTimeout(() => {
          timedOut = true;
          resolve();
        }, options.maxMs);
      }),
    ]);
    const millis = performance.now() - started;
    let documents = 0;
    if (!timedOut) {
      for (const name of COLLECTION_NAMES) {
        const local = await db.collections[name].count().exec();
        if (local !== (options.expected[name] ?? 0)) {
          throw new Error(
            `initial sync: ${name} has ${local} documents, expected ${options.expected[name] ?? 0}`,
          );
        }
        documents += local;
      }
    }
    return { millis, documents, timedOut, replicationErrors };
  } finally {
    clearTimeout(budget);
    await Promise.all(replications.map((replication) => replication.cancel()));
    await changeStream.stop();
    await db.close();
  }
}

export interface LatencyResult {
  readonly samples: readonly number[];
  readonly median: number;
  readonly p95: number;
  readonly timeouts: number;
  readonly timeBound: boolean;
}

/**
 * Client A pushes one patient over HTTP; client B, a live replicating RxDB database woken by the
 * change stream, sees it in its local collection. Timed from A's request to B's change event.
 */
export async function pushToVisible(options: {
  serverUrl: string;
  pusherToken: string;
  watcherToken: string;
  clinicId: string;
  directory: string;
  samples: number;
  maxMs: number;
}): Promise<LatencyResult> {
  const db = await openClientDatabase(options.directory, 'latency-watcher', ['patients']);
  let connected!: () => void;
  const hello = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const changeStream = new ClinicChangeStream({
    serverUrl: options.serverUrl,
    getAccessToken: () => options.watcherToken,
    retryTimeMs: 500,
    onHello: () => connected(),
  });
  const replication = replicateClinicCollection({
    collection: db.patients as RxCollection,
    serverUrl: options.serverUrl,
    getAccessToken: () => options.watcherToken,
    changeStream,
    retryTime: 500,
  });
  changeStream.start();
  const samples: number[] = [];
  let timeouts = 0;
  let timeBound = false;
  try {
    await hello;
    await replication.awaitInitialReplication();
    const url = `${options.serverUrl}/v1/sync/patients/push`;
    const started = performance.now();
    for (let sample = 0; sample < options.samples; sample += 1) {
      if (performance.now() - started > options.maxMs) {
        timeBound = true;
        break;
      }
      const patient = benchPatient(options.clinicId) as unknown as Patient & { _deleted: boolean };
      const seen = firstValueFrom(
        db.patients.$.pipe(
          filter((event) => event.documentId === patient.id),
          timeout(10_000),
        ),
      );
      const pushedAt = performance.now();
      await post(url, options.pusherToken, JSON.stringify([{ newDocumentState: patient }]));
      try {
        await seen;
        samples.push(performance.now() - pushedAt);
      } catch {
        timeouts += 1;
      }
      // Spaced out like edits at a front desk, so one pull never carries two samples.
      await sleep(20 + Math.random() * 30);
    }
  } finally {
    await replication.cancel();
    await changeStream.stop();
    await db.close();
  }
  return {
    samples,
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    timeouts,
    timeBound,
  };
}

// --- Memory with open streams ----------------------------------------------------------------

export interface StreamsMemoryResult {
  readonly streams: number;
  readonly rssBeforeBytes: number;
  readonly rssWithStreamsBytes: number;
  /** From one push to every stream having its change event. */
  readonly fanOutMs: number;
}

export async function streamsMemory(options: {
  serverUrl: string;
  token: string;
  clinicId: string;
  streams: number;
  rssBytes: () => number;
}): Promise<StreamsMemoryResult> {
  const rssBeforeBytes = options.rssBytes();
  const probes: SseProbe[] = [];
  try {
    for (let index = 0; index < options.streams; index += 1) {
      probes.push(await openSse(`${options.serverUrl}/v1/sync/stream`, options.token));
    }
    if (probes.some((probe) => probe.status !== 200))
      throw new Error('a change stream was refused');
    await Promise.all(
      probes.map((probe) => probe.next((event) => event.event === 'hello', 15_000)),
    );
    const pushedAt = performance.now();
    await post(
      `${options.serverUrl}/v1/sync/patients/push`,
      options.token,
      JSON.stringify([{ newDocumentState: benchPatient(options.clinicId) }]),
    );
    await Promise.all(
      probes.map((probe) => probe.next((event) => event.event === 'change', 15_000)),
    );
    const fanOutMs = performance.now() - pushedAt;
    await sleep(1000);
    return {
      streams: probes.length,
      rssBeforeBytes,
      rssWithStreamsBytes: options.rssBytes(),
      fanOutMs,
    };
  } finally {
    for (const probe of probes) probe.close();
  }
}
